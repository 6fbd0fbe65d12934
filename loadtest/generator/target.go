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

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	receiver    string
	duration    time.Duration
	rounds      int
	conns       int
	pairEvery   int
	copyEvery   int
	copyLag     int
	keep        int
	token       string
	receiverLog string
	quiet       bool
	serveEmpty  bool
	addr        string
	verbose     bool
	inboxTable  bool
	postgres    string
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
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "address for -serve-empty")
	fs.BoolVar(&c.verbose, "v", false, "print every memory sample")
	fs.BoolVar(&c.inboxTable, "inbox-table", false, "measure the durable inbox instead: acknowledgements per second and latency on SQLite and PostgreSQL, against the synchronous Handler and River's own insert rate")
	fs.StringVar(&c.postgres, "postgres", os.Getenv("SMSGW24_POSTGRES_URL"), "for -inbox-table: a PostgreSQL URL whose user may create databases; empty: start a server (Debian's postgresql)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if c.serveEmpty {
		return serveEmpty(ctx, c.addr, stdout, stderr)
	}
	if c.receiver == "" || c.duration <= 0 || c.rounds <= 0 || c.conns <= 0 || c.pairEvery < 0 || c.copyEvery < 0 || c.copyLag <= 0 || c.keep <= c.copyLag {
		fmt.Fprintln(stderr, "loadtest: -receiver is required; -duration, -rounds, -c and -copy-lag must be positive, -keep above -copy-lag")
		return 2
	}
	measure := loadtest
	if c.inboxTable {
		measure = inboxTable
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

// receiverStats is the part of the receiver's GET /stats the run checks.
type receiverStats struct {
	Callbacks         int64 `json:"callbacks"`
	DistinctEvents    int64 `json:"distinct_events"`
	DuplicatesSkipped int64 `json:"duplicates_skipped"`
}

// target is a server started as a child process, and what its runs
// measured.
type target struct {
	name string
	cmd  *exec.Cmd
	addr string
	done chan error

	nextEvent  int64         // the next new event's number
	loaded     time.Duration // time under load so far, in all rounds
	requests   int64         // answered, whatever the answer
	errors     int64
	errorKinds map[string]int64
	retried    int64           // 409s retried
	latencies  []time.Duration // sorted after each round
	acked      []int64         // events answered 200, with repeats
	rss        []rssSample
	peakKiB    int64
	full       time.Duration // load time when the receiver first held -keep events; 0 if never
	cpu        time.Duration // the server's CPU time under load
	genCPU     time.Duration // the generator's CPU time driving it
}

type rssSample struct {
	at  time.Duration // load time
	kiB int64
}

// start runs cmd and waits for the line on its stdout that says where it
// listens: "... listening on http://127.0.0.1:PORT".
func (t *target) start(cmd *exec.Cmd, log io.Writer) error {
	t.cmd, t.done, t.errorKinds = cmd, make(chan error, 1), map[string]int64{}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		return err
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, a, ok := strings.Cut(sc.Text(), "listening on http://"); ok {
				select {
				case addr <- a:
				default:
				}
			}
		}
		t.done <- cmd.Wait()
	}()
	select {
	case t.addr = <-addr:
	case err := <-t.done:
		t.cmd = nil
		return fmt.Errorf("%s exited before listening: %v", cmd.Path, err)
	case <-time.After(30 * time.Second):
		t.stop()
		return fmt.Errorf("%s did not say where it listens", cmd.Path)
	}
	if host, _, err := net.SplitHostPort(t.addr); err != nil || host != "127.0.0.1" {
		t.stop()
		return fmt.Errorf("%s listens on %q, not on 127.0.0.1", cmd.Path, t.addr)
	}
	return nil
}

// stop asks the target to shut down, and kills it if it does not.
func (t *target) stop() {
	if t.cmd == nil {
		return
	}
	_ = t.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-t.done:
	case <-time.After(15 * time.Second):
		_ = t.cmd.Process.Kill()
		<-t.done
	}
	t.cmd = nil
}

// sample records the target's memory now.
func (t *target) sample() error {
	rss, peak, err := readMemory(t.cmd.Process.Pid)
	if err != nil {
		return fmt.Errorf("%s: reading its memory from /proc: %w", t.name, err)
	}
	t.rss = append(t.rss, rssSample{at: t.loaded, kiB: rss})
	t.peakKiB = max(t.peakKiB, peak)
	return nil
}

// drive sends load to the target for d.
func (t *target) drive(ctx context.Context, c config, d time.Duration) error {
	var (
		next    atomic.Int64
		stop    atomic.Bool
		full    atomic.Int64 // ns into this round when -keep events had been sent
		mu      sync.Mutex
		wg      sync.WaitGroup
		workers []*worker
	)
	next.Store(t.nextEvent)
	cpu0, err := readCPU(t.cmd.Process.Pid)
	if err != nil {
		return err
	}
	gen0 := selfCPU()
	start := time.Now()
	for range c.conns {
		wg.Go(func() {
			w := &worker{addr: t.addr, host: t.addr, token: c.token, errorKinds: map[string]int64{}}
			defer w.close()
			for !stop.Load() && ctx.Err() == nil {
				ev := next.Add(1) - 1
				if ev == int64(c.keep) {
					full.Store(int64(time.Since(start)))
				}
				if w.send(ev, c.pairEvery > 0 && ev%int64(c.pairEvery) == 0) {
					w.acked = append(w.acked, ev)
				}
				if c.copyEvery > 0 && ev%int64(c.copyEvery) == 0 && ev >= int64(c.copyLag) {
					if w.send(ev-int64(c.copyLag), false) {
						w.acked = append(w.acked, ev-int64(c.copyLag))
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			workers = append(workers, w)
		})
	}
	ticker := time.NewTicker(500 * time.Millisecond)
	defer ticker.Stop()
	timer := time.NewTimer(d)
	defer timer.Stop()
wait:
	for {
		select {
		case <-ticker.C:
			loaded := t.loaded
			t.loaded += time.Since(start)
			err := t.sample()
			t.loaded = loaded
			if err != nil {
				stop.Store(true)
				wg.Wait()
				return err
			}
		case <-timer.C:
			break wait
		case <-ctx.Done():
			break wait
		}
	}
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(start)
	cpu1, err := readCPU(t.cmd.Process.Pid)
	if err != nil {
		return err
	}
	t.cpu += cpu1 - cpu0
	t.genCPU += selfCPU() - gen0
	if f := full.Load(); f > 0 && t.full == 0 {
		t.full = t.loaded + time.Duration(f)
	}
	t.loaded += elapsed
	t.nextEvent = next.Load()
	for _, w := range workers {
		t.requests += w.requests
		t.errors += w.errors
		t.retried += w.retried
		t.latencies = append(t.latencies, w.latencies...)
		t.acked = append(t.acked, w.acked...)
		for k, n := range w.errorKinds {
			t.errorKinds[k] += n
		}
	}
	slices.Sort(t.latencies)
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.requests == 0 {
		return fmt.Errorf("no request was answered: %v", t.errorKinds)
	}
	return t.sample()
}

func (t *target) rps() float64 { return float64(t.requests) / t.loaded.Seconds() }

func (t *target) cpuPerRequest() time.Duration {
	return (t.cpu / time.Duration(t.requests)).Round(10 * time.Nanosecond)
}

func genCPUPerRequest(targets []*target) time.Duration {
	var cpu time.Duration
	var n int64
	for _, t := range targets {
		cpu += t.genCPU
		n += t.requests
	}
	return (cpu / time.Duration(n)).Round(10 * time.Nanosecond)
}

func (t *target) ackedEvents() int {
	acked := slices.Clone(t.acked)
	slices.Sort(acked)
	return len(slices.Compact(acked))
}

func (t *target) percentile(p float64) time.Duration {
	if len(t.latencies) == 0 {
		return 0
	}
	return t.latencies[int(p/100*float64(len(t.latencies)-1))]
}

// memoryAtHalf is the first RSS sample taken at half time, or once the
// receiver held -keep events if that came later.
func (t *target) memoryAtHalf() rssSample {
	at := max(t.full, t.loaded/2)
	for _, s := range t.rss {
		if s.at >= at {
			return s
		}
	}
	return t.rss[len(t.rss)-1]
}

// memoryGrew reports whether RSS grew in the second half of the run, once
// the receiver was full: by more than a quarter and 4 MiB.
func (t *target) memoryGrew() bool {
	mid, end := t.memoryAtHalf(), t.rss[len(t.rss)-1]
	return t.full == 0 || end.kiB > mid.kiB+mid.kiB/4+4096
}

func (t *target) memoryLine() string {
	mid, end := t.memoryAtHalf(), t.rss[len(t.rss)-1]
	return fmt.Sprintf("RSS %s at start, %s after %.1fs of load, %s at the end (%.1fs), peak %s",
		mib(t.rss[0].kiB), mib(mid.kiB), mid.at.Seconds(), mib(end.kiB), end.at.Seconds(), mib(t.peakKiB))
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

// readMemory reads VmRSS and VmHWM, in KiB, from /proc/PID/status.
func readMemory(pid int) (rss, peak int64, err error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(value), "kB"))
		switch name {
		case "VmRSS":
			rss, err = strconv.ParseInt(value, 10, 64)
		case "VmHWM":
			peak, err = strconv.ParseInt(value, 10, 64)
		}
		if err != nil {
			return 0, 0, err
		}
	}
	if rss == 0 {
		return 0, 0, errors.New("no VmRSS")
	}
	return rss, peak, nil
}

// readCPU reads the user and system time of a process from /proc/PID/stat,
// in clock ticks of 10ms (USER_HZ is 100 on Linux).
func readCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: count fields
	// after it. utime and stime are the 14th and 15th fields.
	i := bytes.LastIndexByte(data, ')')
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 13 {
		return 0, errors.New("short /proc/PID/stat")
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, errors.New("bad /proc/PID/stat")
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// selfCPU is the user and system time of this process.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown CPU"
}

// The bodies of the three variants, as the gateway's newer documents show
// them, cut where the sms_id goes (and, for a status, the status_id).
var (
	statusBody = []string{`{"sms_id":`, `,"status_id":`, `,"status_message":"SMS Sent by Phone","sendto":"+5511987654321","senttime":"2025-06-02 14:05:09","channel_id":3,"device_id":12345}`}
	textBody   = []string{`{"address":"+5511987654321","date":"2025-06-02 14:10:11","date_sent":"2025-06-02 14:10:09","body":"Olá! Quero confirmar meu pedido.","internal_id":7310,"channel_id":3,"sms_id":`, `,"device_id":12345,"device_name":"Pixel 6a","type":"text"}`}
	imageBody  = []string{`{"address":"+5511987654321","date":"2025-06-02 14:21:00","date_sent":"2025-06-02 14:20:58","body":"","internal_id":null,"sim":3,"sms_id":`, `,"type":"img","img_url":"https://smsgateway24.s3.eu-central-1.amazonaws.com/img/`, `.jpg"}`}
	statuses   = []int64{2, 6, 7}
)

// appendRequest writes the request for event ev: status updates, text
// messages and images in turn, each with its own sms_id.
func (w *worker) appendRequest(buf []byte, ev int64) []byte {
	id := 5_000_000 + ev
	body := w.body[:0]
	switch ev % 3 {
	case 0:
		body = append(body, statusBody[0]...)
		body = strconv.AppendInt(body, id, 10)
		body = append(body, statusBody[1]...)
		body = strconv.AppendInt(body, statuses[ev/3%int64(len(statuses))], 10)
		body = append(body, statusBody[2]...)
	case 1:
		body = append(body, textBody[0]...)
		body = strconv.AppendInt(body, id, 10)
		body = append(body, textBody[1]...)
	default:
		body = append(body, imageBody[0]...)
		body = strconv.AppendInt(body, id, 10)
		body = append(body, imageBody[1]...)
		body = strconv.AppendInt(body, id, 10)
		body = append(body, imageBody[2]...)
	}
	w.body = body
	buf = append(buf, "POST /smsgw24?token="...)
	buf = append(buf, w.token...)
	buf = append(buf, " HTTP/1.1\r\nHost: "...)
	buf = append(buf, w.host...)
	buf = append(buf, "\r\nContent-Type: application/json\r\nContent-Length: "...)
	buf = strconv.AppendInt(buf, int64(len(body)), 10)
	buf = append(buf, "\r\n\r\n"...)
	return append(buf, body...)
}

// worker sends requests on its own connections, one at a time, or two at
// once for a pair.
type worker struct {
	addr, host string
	token      string
	req, body  []byte
	acked      []int64 // events answered 200
	conns      [2]*clientConn
	requests   int64
	errors     int64
	retried    int64
	errorKinds map[string]int64
	latencies  []time.Duration
}

type clientConn struct {
	c net.Conn
	r *bufio.Reader
}

func (w *worker) conn(i int) (*clientConn, error) {
	if w.conns[i] == nil {
		c, err := net.Dial("tcp", w.addr)
		if err != nil {
			return nil, err
		}
		w.conns[i] = &clientConn{c: c, r: bufio.NewReaderSize(c, 4096)}
	}
	return w.conns[i], nil
}

func (w *worker) drop(i int) {
	if w.conns[i] != nil {
		_ = w.conns[i].c.Close()
		w.conns[i] = nil
	}
}

func (w *worker) close() {
	w.drop(0)
	w.drop(1)
}

func (w *worker) fail(kind string) {
	w.errors++
	w.errorKinds[kind]++
}

// send sends event ev, on two connections at once if pair, and reports
// whether it was answered 200.
func (w *worker) send(ev int64, pair bool) bool {
	w.req = w.appendRequest(w.req[:0], ev)
	req := w.req
	n := 1
	if pair {
		n = 2
	}
	var started [2]time.Time
	var sent [2]bool
	for i := range n {
		cn, err := w.conn(i)
		if err != nil {
			w.fail("dial")
			continue
		}
		started[i] = time.Now()
		if _, err := cn.c.Write(req); err != nil {
			w.fail("write")
			w.drop(i)
			continue
		}
		sent[i] = true
	}
	ok := false
	for i := range n {
		if sent[i] && w.finish(i, req, started[i]) {
			ok = true
		}
	}
	return ok
}

// finish reads the answer to a request sent on connection i, retrying a
// 409 on it, and reports whether the request ended in a 200.
func (w *worker) finish(i int, req []byte, started time.Time) bool {
	for attempt := 0; ; attempt++ {
		cn := w.conns[i]
		code, keep, err := readResponse(cn.r)
		if err != nil {
			w.fail("read")
			w.drop(i)
			return false
		}
		w.requests++
		w.latencies = append(w.latencies, time.Since(started))
		if !keep {
			w.drop(i)
		}
		switch {
		case code == http.StatusOK:
			return true
		case code == http.StatusConflict && attempt < 1000:
			w.retried++
			time.Sleep(time.Millisecond)
			cn, err := w.conn(i)
			if err != nil {
				w.fail("dial")
				return false
			}
			started = time.Now()
			if _, err := cn.c.Write(req); err != nil {
				w.fail("write")
				w.drop(i)
				return false
			}
		default:
			w.fail(strconv.Itoa(code))
			return false
		}
	}
}

// readResponse reads one HTTP/1.1 answer with a Content-Length, and
// reports its status code and whether the connection stays open.
func readResponse(r *bufio.Reader) (code int, keep bool, err error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	if code, err = strconv.Atoi(string(line[9:12])); err != nil {
		return 0, false, err
	}
	length, keep := -1, true
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return 0, false, err
			}
		case bytes.EqualFold(name, []byte("Connection")) && bytes.EqualFold(value, []byte("close")):
			keep = false
		}
	}
	if length < 0 {
		return 0, false, errors.New("answer without Content-Length")
	}
	if _, err := r.Discard(length); err != nil {
		return 0, false, err
	}
	return code, keep, nil
}

// serveEmpty serves a handler that does nothing, with the receiver's
// server settings: the baseline the receiver is measured against.
func serveEmpty(ctx context.Context, addr string, stdout, stderr io.Writer) int {
	srv := &http.Server{
		Handler:           http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 1
	}
	fmt.Fprintf(stdout, "empty handler listening on http://%s\n", ln.Addr())
	go func() {
		<-ctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 1
	}
	return 0
}
