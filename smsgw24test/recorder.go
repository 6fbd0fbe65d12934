// recorder.go holds Recorder, which mounts a smsgw24.Handler and keeps the
// events its callbacks accepted, for a test to assert on, and sends the
// Handler's log to the test's log.

package smsgw24test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/go-smsgw24/smsgw24"
)

// Recorder serves webhook requests with a [smsgw24.Handler] and keeps the
// events that the Handler's callbacks accepted (returned nil for), in the
// order they were accepted: the events the gateway was answered 200 for.
// An event that a [smsgw24.Deduplicator] skipped is not kept twice, and
// one whose callback failed is not kept at all.
//
// A Recorder is an [http.Handler], to be mounted on an [httptest.Server],
// and is safe for concurrent use.
type Recorder struct {
	handler smsgw24.Handler

	mu     sync.Mutex
	events []smsgw24.Event
}

// NewRecorder returns a Recorder that serves with a copy of h whose
// callbacks also record what they accept; h itself is not changed. A nil
// h, or one without any callback, accepts and records every event it
// decodes and verifies: a receiver that only listens.
//
// Given the test's t, and h without a [smsgw24.Handler.Logger], the Handler
// logs to the test's log (as [testing.T.Log] does, shown for a failed test
// or with go test -v), at debug level, instead of to [slog.Default]: a
// rejection the test expects prints nothing in a passing run. Records
// logged after the test ended are dropped. Without t, the Handler logs as h
// says.
//
//	rec := smsgw24test.NewRecorder(&smsgw24.Handler{OnText: save}, t)
func NewRecorder(h *smsgw24.Handler, t ...testing.TB) *Recorder {
	r := &Recorder{}
	if h != nil {
		r.handler = *h
	}
	c := &r.handler
	if c.Logger == nil && len(t) > 0 && t[0] != nil {
		c.Logger = testLogger(t[0])
	}
	if c.OnStatus == nil && c.OnText == nil && c.OnImage == nil && c.OnEvent == nil {
		c.OnEvent = func(context.Context, smsgw24.Event) error { return nil }
	}
	c.OnStatus = recording(r, c.OnStatus)
	c.OnText = recording(r, c.OnText)
	c.OnImage = recording(r, c.OnImage)
	c.OnEvent = recording(r, c.OnEvent)
	return r
}

// recording wraps a callback so that the events it accepts are kept. A nil
// callback stays nil, so that the Handler answers as it would.
func recording[E smsgw24.Event](r *Recorder, f func(context.Context, E) error) func(context.Context, E) error {
	if f == nil {
		return nil
	}
	return func(ctx context.Context, ev E) error {
		if err := f(ctx, ev); err != nil {
			return err
		}
		r.mu.Lock()
		r.events = append(r.events, ev)
		r.mu.Unlock()
		return nil
	}
}

// ServeHTTP serves one webhook request with the Handler.
func (r *Recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.handler.ServeHTTP(w, req)
}

// Serve serves req with the Handler and returns the answer, for a test
// that holds a request from [NewRequest] or [NewFixtureRequest].
func (r *Recorder) Serve(req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	r.handler.ServeHTTP(w, req)
	return w
}

// Events returns the events accepted so far, in order.
func (r *Recorder) Events() []smsgw24.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]smsgw24.Event(nil), r.events...)
}

// Statuses returns the status updates accepted so far, in order.
func (r *Recorder) Statuses() []*smsgw24.StatusUpdate { return only[*smsgw24.StatusUpdate](r) }

// Texts returns the text messages accepted so far, in order.
func (r *Recorder) Texts() []*smsgw24.TextMessage { return only[*smsgw24.TextMessage](r) }

// Images returns the image messages accepted so far, in order.
func (r *Recorder) Images() []*smsgw24.ImageMessage { return only[*smsgw24.ImageMessage](r) }

func only[E smsgw24.Event](r *Recorder) []E {
	var out []E
	for _, ev := range r.Events() {
		if e, ok := ev.(E); ok {
			out = append(out, e)
		}
	}
	return out
}

// Reset forgets the events accepted so far.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = nil
}

// testLogger returns a logger that writes text records, debug level and
// up, to t's output until t's test ends.
func testLogger(t testing.TB) *slog.Logger {
	w := &testOutput{out: t.Output()}
	t.Cleanup(w.close)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// testOutput writes to a test's output until closed, and drops what comes
// after: a test's output must not be written once the test has ended, and
// a server may still answer a request then.
type testOutput struct {
	mu     sync.Mutex
	out    io.Writer
	closed bool
}

func (w *testOutput) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return len(p), nil
	}
	return w.out.Write(p)
}

func (w *testOutput) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
}
