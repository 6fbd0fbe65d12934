// Command receiver is a minimal SMSGateway24 webhook receiver: a
// smsgw24.Handler behind a token, checked at start, with a MemoryDeduplicator so that the
// gateway's copies of an event reach the callbacks once, the server
// timeouts that keep slow clients from holding connections, and a clean
// shutdown on Ctrl-C or SIGTERM.
//
//	go run ./examples/receiver -token secret
//
// Point both of the gateway's webhook URLs at
// http://HOST:8080/smsgw24?token=secret. A real receiver stores what its
// callbacks receive in its database; this one logs it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/go-smsgw24/smsgw24"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program, given its context, arguments and outputs; it
// returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("receiver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	token := fs.String("token", os.Getenv("SMSGW24_TOKEN"), "secret the gateway sends as ?token=; default $SMSGW24_TOKEN")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if *token == "" {
		log.Error("no token: set -token or SMSGW24_TOKEN")
		return 2
	}

	h := &smsgw24.Handler{
		OnStatus: func(ctx context.Context, u *smsgw24.StatusUpdate) error {
			log.InfoContext(ctx, "status update", "sms_id", u.SMSID, "status", u.Status.String())
			return nil
		},
		OnText: func(ctx context.Context, m *smsgw24.TextMessage) error {
			log.InfoContext(ctx, "text message", "sms_id", m.SMSID, "device_id", m.DeviceID)
			return nil
		},
		OnImage: func(ctx context.Context, m *smsgw24.ImageMessage) error {
			log.InfoContext(ctx, "image message", "sms_id", m.SMSID, "device_id", m.DeviceID)
			return nil
		},
		Verifier:     smsgw24.Token(*token),
		Deduplicator: &smsgw24.MemoryDeduplicator{},
		Logger:       log,
	}
	if err := h.Check(); err != nil { // a misconfigured Handler fails at start, not at the first event
		log.Error("the webhook handler is misconfigured", "error", err)
		return 2
	}
	mux := http.NewServeMux()
	mux.Handle("/smsgw24", h)
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Error("cannot listen", "error", err)
		return 1
	}
	fmt.Fprintf(stdout, "listening on http://%s/smsgw24\n", ln.Addr())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		log.Error("server failed", "error", err)
		return 1
	case <-ctx.Done():
	}
	// Let the requests in flight finish, for at most 10 s.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Error("shutdown", "error", err)
		return 1
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		log.Error("server failed", "error", err)
		return 1
	}
	return 0
}
