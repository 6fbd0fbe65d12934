// Command smsgw24 receives, sends and shows SMSGateway24 webhooks on this
// machine, so that testing a callback or a deployment needs no third-party
// request bin:
//
//	smsgw24 demo
//	smsgw24 listen [-addr host:port] [-token secret | -insecure] [-json]
//	smsgw24 send [-url URL] [-form] [-token secret] NAME|FILE
//	smsgw24 gateway [-addr host:port] [-token TOKEN] [-status-url URL] [-incoming-url URL]
//	smsgw24 inbox list|replay ...
//
// demo shows every fixture decoded and a message sent through a local
// gateway; listen prints each webhook it receives; send posts a fixture
// the way the gateway does; gateway runs the local SMSGateway24 of package
// smsgw24test; inbox lists and replays the dead letters of a durable inbox
// (it runs smsgw24-inbox). The commands and their help are one table in
// main.go: "smsgw24 help COMMAND" prints a command's flags, with an
// example. From a clone of the repository:
//
//	go run ./cmd/smsgw24 demo
package main
