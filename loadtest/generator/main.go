//go:build linux

// main.go holds the generator's flags and its load test: it starts both
// targets, drives them in turn, reads the receiver's counters, and prints
// the table and the checks of the report, and sends the other modes to
// their files: -inbox-table, -handler-table, and the two servers the
// generator runs itself, -serve-empty and -serve-handler (serve.go).

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	receiver     string
	duration     time.Duration
	rounds       int
	conns        int
	pairEvery    int
	copyEvery    int
	copyLag      int
	keep         int
	token        string
	receiverLog  string
	quiet        bool
	serveEmpty   bool
	serveHandler bool
	addr         string
	verbose      bool
	inboxTable   bool
	handlerTable bool
	postgres     string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var c config
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.receiver, "receiver", "", "path of the built instrumented receiver (go build ./receiver in loadtest/)")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long each target is driven, in all")
	fs.IntVar(&c.rounds, "rounds", 5, "how many times the load alternates between the targets")
	fs.IntVar(&c.conns, "c", 32, "concurrent workers, each on its own keep-alive connection")
	fs.IntVar(&c.pairEvery, "pair-every", 10, "send every n-th event twice at the same moment (0: never)")
	fs.IntVar(&c.copyEvery, "copy-every", 10, "follow every n-th request with a copy of an earlier event (0: never)")
	fs.IntVar(&c.copyLag, "copy-lag", 1000, "how many events earlier the copied event was sent")
	fs.IntVar(&c.keep, "keep", 20_000, "the receiver's -keep: events it remembers; must exceed -copy-lag")
	fs.StringVar(&c.token, "token", "loadtest-token-5f1c", "token the receiver is started with and the requests carry")
	fs.StringVar(&c.receiverLog, "receiver-log", os.DevNull, "file for the receiver's log")
	fs.BoolVar(&c.quiet, "quiet", false, "start the receiver with -log-level WARN, without its log record per event")
	fs.BoolVar(&c.serveEmpty, "serve-empty", false, "serve an empty net/http handler on -addr instead (the baseline target)")
	fs.BoolVar(&c.serveHandler, "serve-handler", false, "serve the smsgw24.Handler behind -token, with callbacks that do nothing, on -addr instead (the library's request path)")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "address for -serve-empty and -serve-handler")
	fs.BoolVar(&c.verbose, "v", false, "print every memory sample")
	fs.BoolVar(&c.inboxTable, "inbox-table", false, "measure the durable inbox instead: acknowledgements per second and latency on SQLite and PostgreSQL, against the synchronous Handler and River's own insert rate")
	fs.BoolVar(&c.handlerTable, "handler-table", false, "measure the library's request path instead: the smsgw24.Handler against the empty handler, the servers pinned to one CPU and the generator to another; -receiver is not needed")
	fs.StringVar(&c.postgres, "postgres", os.Getenv("SMSGW24_POSTGRES_URL"), "for -inbox-table: a PostgreSQL URL whose user may create databases; empty: start a server (Debian's postgresql)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	switch {
	case c.serveEmpty:
		return serveEmpty(ctx, c.addr, stdout, stderr)
	case c.serveHandler:
		return serveHandler(ctx, c.addr, c.token, stdout, stderr)
	case c.inboxTable && c.handlerTable:
		fmt.Fprintln(stderr, "loadtest: -inbox-table and -handler-table are two runs")
		return 2
	}
	if (c.receiver == "" && !c.handlerTable) || c.duration <= 0 || c.rounds <= 0 || c.conns <= 0 || c.pairEvery < 0 || c.copyEvery < 0 || c.copyLag <= 0 || c.keep <= c.copyLag {
		fmt.Fprintln(stderr, "loadtest: -receiver is required (but with -handler-table); -duration, -rounds, -c and -copy-lag must be positive, -keep above -copy-lag")
		return 2
	}
	measure := loadtest
	switch {
	case c.inboxTable:
		measure = inboxTable
	case c.handlerTable:
		measure = handlerTable
	}
	if err := measure(ctx, c, stdout, stderr); err != nil {
		if errors.Is(err, errFailed) {
			return 1
		}
		fmt.Fprintln(stderr, "loadtest:", err)
		return 2
	}
	return 0
}

var errFailed = errors.New("a check failed")

func loadtest(ctx context.Context, c config, stdout, stderr io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	logFile, err := os.Create(c.receiverLog)
	if err != nil {
		return err
	}
	defer logFile.Close()

	empty := &target{name: "empty handler"}
	if err := empty.start(exec.Command(self, "-serve-empty", "-addr", "127.0.0.1:0"), stderr); err != nil {
		return err
	}
	defer empty.stop()
	recv := &target{name: "receiver"}
	args := []string{"-addr", "127.0.0.1:0", "-token", c.token, "-keep", strconv.Itoa(c.keep)}
	if c.quiet {
		args = append(args, "-log-level", "WARN")
	}
	if err := recv.start(exec.Command(c.receiver, args...), logFile); err != nil {
		return err
	}
	defer recv.stop()

	fmt.Fprintf(stdout, "machine: %d CPUs, %s, %s %s/%s\n", runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(stdout, "load: %s per target in %d rounds, %d connections; new events (status, text, image in turn), every %d-th sent twice at once,\n",
		c.duration, c.rounds, c.conns, c.pairEvery)
	logged := "logs each event"
	if c.quiet {
		logged = "logs warnings only"
	}
	fmt.Fprintf(stdout, "      every %d-th request followed by a copy of the event %d before; the receiver keeps %d events and %s\n\n",
		c.copyEvery, c.copyLag, c.keep, logged)

	targets := []*target{empty, recv}
	for _, t := range targets {
		if err := t.sample(); err != nil {
			return err
		}
	}
	phase := c.duration / time.Duration(c.rounds)
	for range c.rounds {
		for _, t := range targets {
			if err := t.drive(ctx, c, phase); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
		}
	}
	stats, err := fetchStats(recv.addr, c.token)
	if err != nil {
		return err
	}

	printTable(stdout, targets)
	ok := true
	ratio := recv.rps() / empty.rps()
	verdict := "met"
	if ratio < 0.9 {
		verdict = "NOT met"
	}
	fmt.Fprintf(stdout, "\nthroughput: the receiver serves %.1f%% of the empty handler's requests per second (goal: at least 90%%, %s)\n", 100*ratio, verdict)
	fmt.Fprintf(stdout, "server CPU per request: receiver %s, empty handler %s (%.2fx); generator CPU per request: %s\n",
		recv.cpuPerRequest(), empty.cpuPerRequest(), float64(recv.cpuPerRequest())/float64(empty.cpuPerRequest()), genCPUPerRequest(targets))
	for _, t := range targets {
		if t.errors > 0 {
			ok = false
			fmt.Fprintf(stdout, "errors: %s: %d requests answered with an error or not at all: %v (must be 0)\n", t.name, t.errors, t.errorKinds)
		}
	}
	acked := recv.ackedEvents()
	callbacksOK := stats.Callbacks == stats.DistinctEvents && stats.DistinctEvents == int64(acked)
	fmt.Fprintf(stdout, "callbacks: %d run, %d distinct events handled by the receiver, %d distinct events acknowledged to the generator (must all be equal: %s)\n",
		stats.Callbacks, stats.DistinctEvents, acked, yes(callbacksOK))
	fmt.Fprintf(stdout, "copies: %d answered as already handled, %d answered 409 while in progress and retried\n", stats.DuplicatesSkipped, recv.retried)
	ok = ok && callbacksOK
	grew := recv.memoryGrew()
	fmt.Fprintf(stdout, "memory: receiver %s (held -keep events after %.1fs; must not grow by more than a quarter after that and half time: %s)\n",
		recv.memoryLine(), recv.full.Seconds(), yes(!grew))
	fmt.Fprintf(stdout, "memory: empty handler %s\n", empty.memoryLine())
	ok = ok && !grew
	if c.verbose {
		for _, t := range targets {
			fmt.Fprintf(stdout, "memory samples of the %s (load time: RSS):", t.name)
			for _, s := range t.rss {
				fmt.Fprintf(stdout, " %.1fs: %s", s.at.Seconds(), mib(s.kiB))
			}
			fmt.Fprintln(stdout)
		}
	}
	if !ok {
		fmt.Fprintln(stdout, "\nFAIL")
		return errFailed
	}
	fmt.Fprintln(stdout, "\nPASS")
	return nil
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "NO"
}

func mib(kiB int64) string { return fmt.Sprintf("%.1f MiB", float64(kiB)/1024) }

func printTable(w io.Writer, targets []*target) {
	fmt.Fprintf(w, "%-14s %9s %9s %9s %9s %9s %7s %10s %10s %10s\n", "target", "req/s", "p50", "p90", "p99", "max", "errors", "CPU/req", "RSS start", "RSS end")
	for _, t := range targets {
		fmt.Fprintf(w, "%-14s %9.0f %9s %9s %9s %9s %7d %10s %10s %10s\n", t.name, t.rps(),
			round(t.percentile(50)), round(t.percentile(90)), round(t.percentile(99)), round(t.latencies[len(t.latencies)-1]),
			t.errors, t.cpuPerRequest(), mib(t.rss[0].kiB), mib(t.rss[len(t.rss)-1].kiB))
	}
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	case d >= time.Microsecond:
		return d.Round(time.Microsecond)
	}
	return d
}

// receiverStats is the part of the receiver's GET /stats the run checks.
type receiverStats struct {
	Callbacks         int64 `json:"callbacks"`
	DistinctEvents    int64 `json:"distinct_events"`
	DuplicatesSkipped int64 `json:"duplicates_skipped"`
}

// fetchStats reads the receiver's counters, which it serves only to a
// request with its token.
func fetchStats(addr, token string) (receiverStats, error) {
	var s receiverStats
	client := &http.Client{Timeout: 10 * time.Second}
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+"/stats", nil)
	if err != nil {
		return s, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return s, fmt.Errorf("GET /stats: %s", resp.Status)
	}
	return s, json.NewDecoder(resp.Body).Decode(&s)
}
