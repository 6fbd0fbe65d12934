// Command smsgw24 receives, sends and shows SMSGateway24 webhooks on this
// machine, so that testing a callback or a deployment needs no third-party
// request bin.
//
//	smsgw24 demo
//	smsgw24 listen [-addr host:port] [-token secret] [-json]
//	smsgw24 send [-url URL] [-form] [-token secret] NAME|FILE
//	smsgw24 send -list
//	smsgw24 gateway [-addr host:port] [-token TOKEN] [-status-url URL] [-incoming-url URL]
//
// demo starts a receiver on a free loopback port, posts it every fixture of
// package smsgw24test, prints what it received, sends a message with
// smsgw24.Client to a local gateway whose statuses reach the receiver, and
// exits. listen is that
// receiver on an address of your choice, printing each webhook as it
// arrives, as a readable line or (-json) as a JSON object. send posts a
// fixture or a JSON file the way the gateway does: a test webhook, not an
// SMS. gateway runs the local SMSGateway24 of package smsgw24test: its REST
// API, which smsgw24.Client can send to, posting the status updates of each
// message to a URL such as listen's.
//
// Run "smsgw24 COMMAND -h" for each command's flags, with an example. From
// a clone of the repository:
//
//	go run ./cmd/smsgw24 demo
package main
