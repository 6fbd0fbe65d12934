//go:build linux

// serve.go holds the two servers the generator itself runs as targets:
// -serve-empty, an empty net/http handler, and -serve-handler, the
// library's Handler with callbacks that do nothing. Both go through serve,
// so that they differ only by their handler.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/go-smsgw24/smsgw24"
)

// serveEmpty serves a handler that does nothing, with the receiver's
// server settings: the baseline the receiver and the Handler are measured
// against.
func serveEmpty(ctx context.Context, addr string, stdout, stderr io.Writer) int {
	return serve(ctx, addr, "empty handler", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), stdout, stderr)
}

// serveHandler serves the library's request path and nothing else: an
// [smsgw24.Handler] behind [smsgw24.Token](token), whose callbacks do
// nothing, without a Deduplicator and without a log record per event. It
// takes the requests the receiver takes, at any path.
func serveHandler(ctx context.Context, addr, token string, stdout, stderr io.Writer) int {
	h := bareHandler(token)
	if err := h.Check(); err != nil {
		fmt.Fprintln(stderr, "loadtest:", err)
		return 2
	}
	return serve(ctx, addr, "Handler", h, stdout, stderr)
}

func bareHandler(token string) *smsgw24.Handler {
	return &smsgw24.Handler{
		Verifier: smsgw24.Token(token),
		OnStatus: func(context.Context, *smsgw24.StatusUpdate) error { return nil },
		OnText:   func(context.Context, *smsgw24.TextMessage) error { return nil },
		OnImage:  func(context.Context, *smsgw24.ImageMessage) error { return nil },
		Logger:   slog.New(slog.DiscardHandler),
	}
}

// serve serves h on addr, with the receiver's server settings and no mux,
// until ctx is done. It says where it listens on stdout, in the line
// target.start waits for.
func serve(ctx context.Context, addr, name string, h http.Handler, stdout, stderr io.Writer) int {
	srv := &http.Server{
		Handler:           h,
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
	fmt.Fprintf(stdout, "%s listening on http://%s\n", name, ln.Addr())
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
