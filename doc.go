// Package smsgw24 receives the webhooks of SMSGateway24, the service that
// turns Android phones into SMS and WhatsApp gateways.
package smsgw24
