//go:build linux

// Command generator drives the instrumented receiver and an empty net/http
// handler with the same webhook traffic on loopback, and reports for each
// its throughput, latency, errors, CPU and memory, and the receiver's
// throughput as a share of the empty handler's.
//
//	cd loadtest
//	go build -o /tmp/receiver ./receiver
//	go run ./generator -receiver /tmp/receiver
//
// scripts/loadtest.sh does both. Both targets run as child processes that
// listen on 127.0.0.1 only, and are stopped at the end; the traffic never
// leaves the machine. The load alternates between them, -rounds times, so
// that whatever else runs on the machine weighs on both alike.
//
// The traffic is a stream of new events (status updates, text messages and
// images in turn, as the gateway sends them), with copies as the gateway
// sends them: every -pair-every-th event is sent twice at the same moment
// on two connections, and every -copy-every-th request is followed by a
// copy of the event sent -copy-lag events earlier. A 409 (the same event
// in progress) is retried, as the gateway would. The receiver runs with
// -keep above -copy-lag, so that it still remembers every event it gets a
// copy of. The run checks that no request failed, that the receiver's
// callbacks ran exactly once per distinct event acknowledged, and that its
// memory stops growing once it holds -keep events, although new events
// keep coming.
//
// It runs on Linux, where it reads memory and CPU time from /proc.
//
// The generator reads each answer's status line and Content-Length
// itself, on one keep-alive connection per worker (two for the pairs), so
// that it leaves as much of the machine as it can to the server.
package main
