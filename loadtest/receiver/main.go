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
// and prints one line to stdout once it listens:
// "smsgw24 receiver listening on http://127.0.0.1:8080".
//
// It keeps everything in memory, bounded by -keep; a real receiver stores
// what its callbacks receive in its database.
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
	srv := &http.Server{
		Handler:           newMux(c, st, log),
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

// newMux mounts the webhook handler, the status lookup and the stats.
func newMux(c config, st *store, log *slog.Logger) *http.ServeMux {
	dedup := &countingDeduplicator{Deduplicator: &smsgw24.MemoryDeduplicator{MaxKeys: c.keep}, st: st}
	h := &smsgw24.Handler{
		OnStatus: func(ctx context.Context, u *smsgw24.StatusUpdate) error {
			latest, replaced := st.status(u)
			log.LogAttrs(ctx, slog.LevelInfo, "status update",
				slog.Int64("sms_id", u.SMSID), slog.String("status", u.Status.String()),
				slog.String("latest", latest.String()), slog.Bool("replaced", replaced))
			return nil
		},
		OnText: func(ctx context.Context, m *smsgw24.TextMessage) error {
			st.message(m)
			log.LogAttrs(ctx, slog.LevelInfo, "text message",
				slog.Int64("sms_id", m.SMSID), slog.Int64("device_id", m.DeviceID), slog.String("channel", m.Channel.String()))
			return nil
		},
		OnImage: func(ctx context.Context, m *smsgw24.ImageMessage) error {
			st.message(m)
			log.LogAttrs(ctx, slog.LevelInfo, "image message",
				slog.Int64("sms_id", m.SMSID), slog.Int64("device_id", m.DeviceID), slog.String("channel", m.Channel.String()))
			return nil
		},
		Deduplicator: dedup,
		MaxBodyBytes: c.maxBody,
		Logger:       log,
		OnError:      func(*http.Request, int, error) { st.rejected() },
	}
	if c.token != "" {
		h.Verifier = smsgw24.Token(c.token)
	}

	mux := http.NewServeMux()
	mux.Handle(c.path, h) // every method: the Handler answers 405 itself
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, st.stats())
	})
	mux.HandleFunc("GET /status/{sms_id}", func(w http.ResponseWriter, r *http.Request) {
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
	})
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
