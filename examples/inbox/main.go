// Command inbox is a webhook receiver that never loses an event: the
// smsgw24.Handler stores each event in a durable inbox before it answers
// 200, and the inbox delivers it to the callbacks afterwards, retrying
// while they fail. The inbox is a SQLite file, or PostgreSQL with
// -postgres, where several copies of this receiver can share it.
//
//	go run . -token secret                       # inbox in ./inbox.db
//	go run . -token secret -postgres postgres://user:pass@host/db
//
// It serves the webhook on /smsgw24 and prints one line to stdout once it
// listens: "smsgw24 inbox receiver listening on http://127.0.0.1:8080".
// Dead letters are listed and replayed with "smsgw24 inbox list -dsn ...".
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
	"github.com/go-smsgw24/smsgw24/inbox"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	token := fs.String("token", os.Getenv("SMSGW24_TOKEN"), "the token of the webhook URL (default $SMSGW24_TOKEN)")
	file := fs.String("db", "inbox.db", "the SQLite file of the inbox")
	postgres := fs.String("postgres", os.Getenv("DATABASE_URL"), "a PostgreSQL URL for the inbox instead of the file (default $DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *token == "" {
		fmt.Fprintln(stderr, "inbox: set -token (or $SMSGW24_TOKEN): the webhook URL's secret")
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	dsn := "sqlite:" + *file
	if *postgres != "" {
		dsn = *postgres
	}

	ib, err := inbox.Open(ctx, dsn, handlers(log))
	if err != nil {
		log.Error("open the inbox", "err", err)
		return 1
	}
	defer ib.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Error("listen", "err", err)
		return 1
	}
	srv := &http.Server{
		Handler:           newMux(ib, *token, log),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       time.Minute,
	}
	delivering := make(chan error, 1)
	go func() { delivering <- ib.Run(ctx) }()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	fmt.Fprintf(stdout, "smsgw24 inbox receiver listening on http://%s\n", ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		log.Error("serve", "err", err)
		return 1
	}
	if err := <-delivering; err != nil {
		log.Error("deliver", "err", err)
		return 1
	}
	return 0
}

// newMux mounts the Handler, which answers 200 only once the inbox has
// stored the event.
func newMux(ib *inbox.Inbox, token string, log *slog.Logger) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/smsgw24", &smsgw24.Handler{
		OnEvent:  ib.Store,
		Verifier: smsgw24.Token(token),
		Logger:   log,
	})
	return mux
}

// handlers are the application: here it logs what arrives; a real one
// saves it, and returns an error when it cannot, to have it delivered
// again later.
func handlers(log *slog.Logger) inbox.Handlers {
	return inbox.Handlers{
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
		Logger: log,
	}
}
