//go:build linux

// Command generator drives the instrumented receiver and an empty net/http
// handler with the same webhook traffic on loopback, and reports for each
// its throughput, latency, errors, CPU and memory, and the receiver's
// throughput as a share of the empty handler's. With -handler-table it
// measures the bare smsgw24.Handler against the empty handler instead.
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
// With -handler-table it measures the library's request path end to end
// instead, and needs no receiver: it starts itself twice as the servers,
// with -serve-empty (the empty handler) and with -serve-handler (an
// smsgw24.Handler behind Token(-token) whose callbacks do nothing, without
// a Deduplicator and without a log record per event). The two servers have
// the same http.Server settings and no mux; they differ only by their
// handler. Both run on one CPU (taskset -c, from util-linux) and the
// generator on another (taskset -a -p on its own threads, then GOMAXPROCS
// 1), so that the client does not take the servers' CPU. After a short
// warm-up, the same traffic alternates between them, -rounds times, in the
// order empty, Handler, then Handler, empty. The report gives the machine
// and the command line (scripts/loadtest.sh passes its own in the
// environment variable LOADTEST_COMMAND), each round's requests per second
// of both and their ratio, the median ratio and median rates, the latency,
// and the server CPU per request of each. Without taskset or a second CPU
// it runs unpinned and says so. It fails only when a request fails:
//
//	scripts/loadtest.sh -handler-table -duration 10s
//
// It runs on Linux, where it reads memory and CPU time from /proc.
//
// The generator reads each answer's status line and Content-Length
// itself, on one keep-alive connection per worker (two for the pairs), so
// that it leaves as much of the machine as it can to the server.
package main
