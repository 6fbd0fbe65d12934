// Command receiver is the instrumented receiver the load and fault tests
// of this module drive: the smsgw24.Handler behind a token, with
// de-duplication, the latest status of each outgoing message kept in
// memory, one log record per event, the server timeouts that keep slow
// clients from holding connections, a clean shutdown on SIGINT or SIGTERM,
// and counters for the load generator. examples/receiver is the minimal
// receiver to start from; this one is a tool.
//
//	go run ./receiver -token secret    (in loadtest/)
//
// It serves
//
//	/smsgw24             the webhook URL for both the status and the incoming webhook
//	GET /status/{sms_id} the latest status of an outgoing message
//	GET /stats           counters as JSON, read by the load test
//
// each only to a request with the token, in the URL (?token=) or in an
// Authorization: Bearer header: the statuses say who was sent what.
//
// and prints one line to stdout once it listens:
// "smsgw24 receiver listening on http://127.0.0.1:8080".
//
// It keeps what the events say in memory, bounded by -keep. -dedup picks
// where handled events are remembered (memory, Redis, PostgreSQL or
// SQLite, for several replicas); -inbox stores every event in the durable
// inbox before the 200 and delivers it from there. -callback-log records
// every callback's start and end, line by line, for the fault tests.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/go-smsgw24/smsgw24"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// config is what the flags set.
type config struct {
	addr              string
	path              string
	token             string
	insecure          bool
	maxBody           int64
	keep              int
	logLevel          slog.Level
	readHeaderTimeout time.Duration
	readTimeout       time.Duration
	writeTimeout      time.Duration
	idleTimeout       time.Duration
	shutdownTimeout   time.Duration
	dedup             string
	inbox             string
	lease             time.Duration
	callbackLog       string
	callbackDelay     time.Duration
	deliveryTimeout   time.Duration
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("receiver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&c.path, "path", "/smsgw24", "path of the webhook URL")
	fs.StringVar(&c.token, "token", os.Getenv("SMSGW24_TOKEN"), "secret the gateway puts in the URL as ?token=; default $SMSGW24_TOKEN")
	fs.BoolVar(&c.insecure, "insecure", false, "without a token, accept requests from anyone who knows the URL")
	fs.Int64Var(&c.maxBody, "max-body", smsgw24.DefaultMaxBodyBytes, "largest body accepted, in bytes")
	fs.IntVar(&c.keep, "keep", 100_000, "messages and event keys kept in memory, the oldest forgotten first")
	fs.TextVar(&c.logLevel, "log-level", slog.LevelInfo, "least level logged: DEBUG, INFO, WARN or ERROR")
	fs.DurationVar(&c.readHeaderTimeout, "read-header-timeout", 5*time.Second, "time allowed to read a request's headers")
	fs.DurationVar(&c.readTimeout, "read-timeout", 10*time.Second, "time allowed to read a whole request, body included")
	fs.DurationVar(&c.writeTimeout, "write-timeout", 30*time.Second, "time allowed from the end of the headers to the end of the answer")
	fs.DurationVar(&c.idleTimeout, "idle-timeout", 60*time.Second, "time a kept-alive connection may wait for its next request")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "time allowed for requests in flight on shutdown")
	fs.StringVar(&c.dedup, "dedup", "memory", "where handled events are remembered: memory, redis://HOST:PORT, postgres://URL or sqlite:PATH")
	fs.StringVar(&c.inbox, "inbox", "", "store events in the durable inbox at sqlite:PATH or postgres://URL and deliver them from it")
	fs.DurationVar(&c.lease, "lease", 0, "how long a claim of -dedup redis, postgres or sqlite holds; 0: the backend's default")
	fs.StringVar(&c.callbackLog, "callback-log", "", "file to append a line to at each callback's start and end (and each commit)")
	fs.DurationVar(&c.callbackDelay, "callback-delay", 0, "time each callback takes, as if it did work")
	fs.DurationVar(&c.deliveryTimeout, "delivery-timeout", 0, "the inbox's DeliveryTimeout: a delivery cut by a kill is redelivered after twice this; 0: the inbox's default")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if c.keep <= 0 {
		return c, errors.New("-keep must be positive")
	}
	return c, nil
}

// run is the whole program; main gives it the process's context, arguments
// and outputs, tests their own. It returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "receiver:", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: c.logLevel}))
	if c.token == "" && !c.insecure {
		log.Error("no token: set -token or SMSGW24_TOKEN, or pass -insecure to accept requests from anyone")
		return 2
	}

	st := newStore(c.keep)
	cl, err := openCallbackLog(c.callbackLog)
	if err != nil {
		log.Error("cannot open the callback log", "error", err)
		return 1
	}
	b, err := openBackend(ctx, c, st, deliverer(st, log, cl, c.callbackDelay), cl)
	if err != nil {
		if b != nil {
			_ = b.close()
		} else {
			_ = cl.close()
		}
		log.Error("cannot open the backend", "error", err)
		return 1
	}
	defer func() {
		if err := b.close(); err != nil {
			log.Error("closing the backend", "error", err)
		}
	}()
	mux, err := newMux(c, st, log, b)
	if err != nil {
		log.Error("the webhook handler is misconfigured", "error", err)
		return 2
	}
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: c.readHeaderTimeout,
		ReadTimeout:       c.readTimeout,
		WriteTimeout:      c.writeTimeout,
		IdleTimeout:       c.idleTimeout,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		log.Error("cannot listen", "addr", c.addr, "error", err)
		return 1
	}
	if c.token == "" {
		log.Warn("no token: every request is accepted (-insecure)")
	}
	fmt.Fprintf(stdout, "smsgw24 receiver listening on http://%s\n", ln.Addr())
	log.Info("listening", "addr", ln.Addr().String(), "path", c.path)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	runCtx, stopRun := context.WithCancel(context.WithoutCancel(ctx))
	delivered := make(chan error, 1)
	if b.run != nil {
		go func() { delivered <- b.run(runCtx) }()
	} else {
		delivered <- nil
	}
	defer func() {
		stopRun()
		if err := <-delivered; err != nil && !errors.Is(err, context.Canceled) {
			log.Error("inbox delivery", "error", err)
		}
	}()
	select {
	case err := <-served:
		log.Error("server failed", "error", err)
		return 1
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Error("shutdown", "error", err)
		_ = srv.Close()
		return 1
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		log.Error("server failed", "error", err)
		return 1
	}
	log.Info("stopped", "callbacks", st.stats().Callbacks)
	return 0
}

// newMux mounts the webhook handler, the status lookup and the stats, all
// behind the token. It fails when Handler.Check finds the handler
// misconfigured. The handler answers 200 once deliver ran (synchronous) or
// once the event is stored in the inbox (-inbox), whose Run calls deliver
// later.
func newMux(c config, st *store, log *slog.Logger, b *backend) (*http.ServeMux, error) {
	h := &smsgw24.Handler{
		OnEvent:      b.onEvent,
		MaxBodyBytes: c.maxBody,
		Logger:       log,
		OnError:      func(*http.Request, int, error) { st.rejected() },
	}
	if b.dedup != nil {
		h.Deduplicator = &countingDeduplicator{Deduplicator: b.dedup, st: st, log: b.log}
	}
	if c.token != "" {
		h.Verifier = smsgw24.Token(c.token)
	} else {
		// -insecure, said out loud: Check reports a Handler without a
		// Verifier.
		h.Verifier = smsgw24.VerifierFunc(func(*http.Request, []byte) error { return nil })
	}
	if err := h.Check(); err != nil {
		return nil, err
	}

	mux := http.NewServeMux()
	mux.Handle(c.path, h) // every method: the Handler answers 405 itself
	mux.Handle("GET /stats", withVerifier(h.Verifier, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, st.stats())
	}))
	mux.Handle("GET /status/{sms_id}", withVerifier(h.Verifier, func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("sms_id"), 10, 64)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "sms_id is not a number"})
			return
		}
		s, ok := st.latest(id)
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no status for this sms_id"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"sms_id": id, "status_id": int(s), "status": s.String(), "final": s.Final()})
	}))
	return mux, nil
}

// withVerifier serves next only to a request that v accepts, and answers
// others 401 or 403 as the webhook Handler does.
func withVerifier(v smsgw24.Verifier, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := v.Verify(r, nil); err != nil {
			status := http.StatusForbidden
			if errors.Is(err, smsgw24.ErrUnauthenticated) {
				status = http.StatusUnauthorized
			}
			writeJSON(w, status, map[string]string{"error": err.Error()})
			return
		}
		next(w, r)
	})
}

// deliverer is the callback every event reaches once: it writes the
// callback log's start and done lines around the work, waits -callback-delay
// (a callback with work to do, so that a kill finds some in flight), and
// keeps what the event says in st.
func deliverer(st *store, log *slog.Logger, cl *callbackLog, delay time.Duration) func(context.Context, smsgw24.Event) error {
	return func(ctx context.Context, ev smsgw24.Event) error {
		key := smsgw24.EventKey(ev)
		cl.write("start", key)
		if delay > 0 {
			time.Sleep(delay)
		}
		switch e := ev.(type) {
		case *smsgw24.StatusUpdate:
			latest, replaced := st.status(e)
			log.LogAttrs(ctx, slog.LevelInfo, "status update",
				slog.Int64("sms_id", e.SMSID), slog.String("status", e.Status.String()),
				slog.String("latest", latest.String()), slog.Bool("replaced", replaced))
		default:
			st.message(ev)
			log.LogAttrs(ctx, slog.LevelInfo, string(ev.Kind())+" message",
				slog.Int64("sms_id", ev.ID()), slog.Int64("device_id", deviceID(ev)))
		}
		cl.write("done", key)
		return nil
	}
}

func deviceID(ev smsgw24.Event) int64 {
	switch e := ev.(type) {
	case *smsgw24.TextMessage:
		return e.DeviceID
	case *smsgw24.ImageMessage:
		return e.DeviceID
	}
	return 0
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
