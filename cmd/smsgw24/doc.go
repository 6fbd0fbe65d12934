// Command smsgw24 receives, sends and shows SMSGateway24 webhooks on this
// machine, so that testing a callback or a deployment needs no third-party
// request bin.
//
//	smsgw24 demo
//	smsgw24 listen [-addr host:port] [-token secret] [-json]
//	smsgw24 send [-url URL] [-form] [-token secret] NAME|FILE
//	smsgw24 send -list
//
// demo starts a receiver on a free loopback port, posts it every fixture of
// package smsgw24test, prints what it received and exits. listen is that
// receiver on an address of your choice, printing each webhook as it
// arrives, as a readable line or (-json) as a JSON object. send posts a
// fixture or a JSON file the way the gateway does.
//
// Run "smsgw24 COMMAND -h" for each command's flags, with an example. From
// a clone of the repository:
//
//	go run ./cmd/smsgw24 demo
package main
