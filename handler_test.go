// handler_test.go pins every answer of Handler through ServeHTTP, the
// logging rules, and the de-duplication rules, alone and under concurrency.

package smsgw24

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testToken = "s3cr3t-t0ken"

// recorder counts the events its callbacks receive.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (rec *recorder) add(ev Event) error {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.events = append(rec.events, ev)
	return nil
}

func (rec *recorder) count() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return len(rec.events)
}

func (rec *recorder) handler() *Handler {
	return &Handler{
		OnStatus: func(_ context.Context, e *StatusUpdate) error { return rec.add(e) },
		OnText:   func(_ context.Context, e *TextMessage) error { return rec.add(e) },
		OnImage:  func(_ context.Context, e *ImageMessage) error { return rec.add(e) },
		Verifier: Token(testToken),
		Logger:   slog.New(slog.DiscardHandler),
	}
}

func fixtureRequest(t testing.TB, name, query string) *http.Request {
	t.Helper()
	contentType, body := webhookFixture(t, name)
	r := httptest.NewRequest(http.MethodPost, "/hook"+query, bytes.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// errorBody reads an error answer.
func errorBody(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	var answer struct {
		Error  string `json:"error"`
		Status int    `json:"status"`
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &answer), w.Body.String())
	assert.Equal(t, w.Code, answer.Status)
	return answer.Error
}

func TestHandlerAcceptsEveryFixture(t *testing.T) {
	for name, want := range fixtureEvents {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{}
			w := serve(rec.handler(), fixtureRequest(t, name, "?token="+testToken))
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			assert.Empty(t, w.Body.String())
			assert.Empty(t, w.Header(), "a 200 sets no header of its own")
			require.Len(t, rec.events, 1)
			assert.Equal(t, want, rec.events[0])
		})
	}
}

func TestHandlerAnswers(t *testing.T) {
	statusBody := `{"sms_id":1,"status_id":7}`
	post := func(contentType, body, query string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/hook"+query, strings.NewReader(body))
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		return r
	}
	tests := []struct {
		name    string
		req     func() *http.Request
		handler func(*Handler)
		status  int
		err     string // part of the error text
	}{
		{name: "token in query", req: func() *http.Request { return post("application/json", statusBody, "?token="+testToken) }, status: 200},
		{name: "bearer token", req: func() *http.Request {
			r := post("application/json", statusBody, "")
			r.Header.Set("Authorization", "Bearer "+testToken)
			return r
		}, status: 200},
		{name: "no token", req: func() *http.Request { return post("application/json", statusBody, "") }, status: 401, err: "token"},
		{name: "wrong token", req: func() *http.Request { return post("application/json", statusBody, "?token=guess") }, status: 403},
		{name: "GET", req: func() *http.Request { return httptest.NewRequest(http.MethodGet, "/hook?token="+testToken, nil) }, status: 405, err: "POST"},
		{name: "PUT", req: func() *http.Request { return httptest.NewRequest(http.MethodPut, "/hook?token="+testToken, nil) }, status: 405, err: "POST"},
		{name: "body over the cap", req: func() *http.Request {
			return post("application/json", `{"sms_id":1,"status_id":7,"pad":"`+strings.Repeat("x", 100)+`"}`, "?token="+testToken)
		}, handler: func(h *Handler) { h.MaxBodyBytes = 64 }, status: 413, err: "too large"},
		{name: "body over the default cap, length unknown", req: func() *http.Request {
			r := post("application/json", `{"sms_id":1,"pad":"`+strings.Repeat("x", DefaultMaxBodyBytes)+`"}`, "?token="+testToken)
			r.ContentLength = -1
			return r
		}, status: 413, err: "too large"},
		{name: "XML", req: func() *http.Request { return post("text/xml", "<sms/>", "?token="+testToken) }, status: 415, err: "text/xml"},
		{name: "broken JSON", req: func() *http.Request { return post("application/json", `{"sms_id":1,`, "?token="+testToken) }, status: 400, err: "malformed"},
		{name: "empty body", req: func() *http.Request { return post("application/json", "", "?token="+testToken) }, status: 400, err: "empty"},
		{name: "no sms_id", req: func() *http.Request { return post("application/json", `{"status_id":7}`, "?token="+testToken) }, status: 422, err: "sms_id"},
		{name: "garbage status_id", req: func() *http.Request { return post("", `sms_id=1&status_id=x`, "?token="+testToken) }, status: 422, err: "status_id"},
		{name: "callback error", req: func() *http.Request { return post("application/json", statusBody, "?token="+testToken) },
			handler: func(h *Handler) {
				h.OnStatus = func(context.Context, *StatusUpdate) error {
					return errors.New("database down: customer +4915112345678")
				}
			}, status: 500, err: "callback failed"},
		{name: "callback panic", req: func() *http.Request { return post("application/json", statusBody, "?token="+testToken) },
			handler: func(h *Handler) { h.OnStatus = func(context.Context, *StatusUpdate) error { panic("boom") } },
			status:  500, err: "panicked"},
		{name: "callback timeout", req: func() *http.Request { return post("application/json", statusBody, "?token="+testToken) },
			handler: func(h *Handler) {
				h.Timeout = time.Millisecond
				h.OnStatus = func(ctx context.Context, _ *StatusUpdate) error { <-ctx.Done(); return ctx.Err() }
			}, status: 503, err: "timed out"},
		{name: "no callback for the kind", req: func() *http.Request { return post("application/json", statusBody, "?token="+testToken) },
			handler: func(h *Handler) { h.OnStatus = nil }, status: 501, err: "no callback"},
		{name: "catch-all callback", req: func() *http.Request { return post("application/json", statusBody, "?token="+testToken) },
			handler: func(h *Handler) {
				h.OnStatus = nil
				h.OnEvent = func(context.Context, Event) error { return nil }
			}, status: 200},
		{name: "no verifier", req: func() *http.Request { return post("application/json", statusBody, "") },
			handler: func(h *Handler) { h.Verifier = nil }, status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			h := rec.handler()
			if tt.handler != nil {
				tt.handler(h)
			}
			var reported []int
			h.OnError = func(_ *http.Request, status int, err error) {
				require.Error(t, err)
				reported = append(reported, status)
			}
			w := serve(h, tt.req())
			require.Equal(t, tt.status, w.Code, w.Body.String())
			if tt.status == 200 {
				assert.Empty(t, reported)
				return
			}
			assert.Equal(t, []int{tt.status}, reported, "OnError hears of every failure")
			text := errorBody(t, w)
			assert.Contains(t, text, tt.err)
			assert.NotContains(t, w.Body.String(), testToken)
			assert.NotContains(t, w.Body.String(), "4915112345678", "a callback's error text stays out of the answer")
			if tt.status == 405 {
				assert.Equal(t, "POST", w.Header().Get("Allow"))
			}
			if tt.status < 500 {
				assert.Zero(t, rec.count(), "a rejected request reaches no callback")
			}
		})
	}
}

// failingBody fails the way a connection does, with addresses in its error.
type failingBody struct{}

func (failingBody) Read([]byte) (int, error) {
	return 0, errors.New("read tcp 10.0.0.1:8080->10.0.0.2:51234: i/o timeout")
}

func TestHandlerBodyReadErrors(t *testing.T) {
	rec := &recorder{}
	r := httptest.NewRequest(http.MethodPost, "/hook?token="+testToken, failingBody{})
	w := serve(rec.handler(), r)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Equal(t, "smsgw24: malformed body: reading the body failed", errorBody(t, w))
	assert.NotContains(t, w.Body.String(), "10.0.0.1")

	// A body capped by http.MaxBytesReader in a middleware is too large too.
	r = httptest.NewRequest(http.MethodPost, "/hook?token="+testToken, strings.NewReader(`{"sms_id":1,"status_id":7}`))
	w = httptest.NewRecorder()
	r.Body = http.MaxBytesReader(w, r.Body, 10)
	r.ContentLength = -1
	rec.handler().ServeHTTP(w, r)
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
	assert.Zero(t, rec.count())
}

// TestHandlerVerifiesBeforeDecoding: a request without the token is
// answered 401 even when its body is garbage, and its body is never parsed.
func TestHandlerVerifiesBeforeDecoding(t *testing.T) {
	rec := &recorder{}
	r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(`{{{{`))
	w := serve(rec.handler(), r)
	assert.Equal(t, http.StatusUnauthorized, w.Code)
}

func TestHandlerZeroValueOptions(t *testing.T) {
	var got *TextMessage
	h := &Handler{OnText: func(_ context.Context, m *TextMessage) error { got = m; return nil }, Logger: slog.New(slog.DiscardHandler)}
	w := serve(h, fixtureRequest(t, "text_v2_form_plus_lost.txt", ""))
	require.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "+79001234567", got.Address)
}

func TestHandlerLocation(t *testing.T) {
	var got *TextMessage
	h := &Handler{
		OnText:   func(_ context.Context, m *TextMessage) error { got = m; return nil },
		Location: time.FixedZone("MSK", 3*3600),
		Logger:   slog.New(slog.DiscardHandler),
	}
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"sms_id":1,"date":"2025-06-02 14:00:00"}`))
	require.Equal(t, http.StatusOK, serve(h, r).Code)
	assert.Equal(t, utc(2025, 6, 2, 11, 0, 0, 0), got.Date)
}

func TestHandlerPassesRequestContext(t *testing.T) {
	type ctxKey struct{}
	var got any
	h := &Handler{OnText: func(ctx context.Context, _ *TextMessage) error { got = ctx.Value(ctxKey{}); return nil }}
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"sms_id":1}`))
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, "request-scoped"))
	require.Equal(t, http.StatusOK, serve(h, r).Code)
	assert.Equal(t, "request-scoped", got)
}

// TestHandlerLogging: the log has kind, sms_id and status; never the token,
// the query, or a message's text unless asked.
func TestHandlerLogging(t *testing.T) {
	for _, logText := range []bool{false, true} {
		var logs bytes.Buffer
		rec := &recorder{}
		h := rec.handler()
		h.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		h.LogMessageText = logText
		require.Equal(t, 200, serve(h, fixtureRequest(t, "text_v2_json.txt", "?token="+testToken)).Code)
		require.Equal(t, 200, serve(h, fixtureRequest(t, "status_v2_json.txt", "?token="+testToken)).Code)
		require.Equal(t, 403, serve(h, fixtureRequest(t, "text_v2_json.txt", "?token=wrong-"+testToken)).Code)
		h.OnText = func(context.Context, *TextMessage) error { panic("kaputt") }
		require.Equal(t, 500, serve(h, fixtureRequest(t, "text_v2_json.txt", "?token="+testToken)).Code)

		out := logs.String()
		assert.NotContains(t, out, testToken)
		assert.NotContains(t, out, "token=")
		assert.Contains(t, out, `"sms_id":9911203`)
		assert.Contains(t, out, `"kind":"text"`)
		assert.Contains(t, out, `"status":6`)
		assert.Contains(t, out, `"http_status":403`)
		assert.Contains(t, out, "kaputt")
		assert.Contains(t, out, `"stack":"goroutine`, "a panic is logged with its stack")
		assert.Equal(t, logText, strings.Contains(out, "Quero confirmar"), "message text only when asked")
	}
}

// TestHandlerKeepsServingAfterPanic: a panicking callback answers 500 and the
// next request is served as usual.
func TestHandlerKeepsServingAfterPanic(t *testing.T) {
	var calls atomic.Int32
	h := &Handler{
		OnText: func(context.Context, *TextMessage) error {
			if calls.Add(1) == 1 {
				panic("first call")
			}
			return nil
		},
		Logger: slog.New(slog.DiscardHandler),
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, want := range []int{500, 200} {
		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(`{"sms_id":1}`))
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode)
	}
}

// TestHandlerOKOnTheWire: through net/http, a 200 is the shortest answer
// there is: no body, no Content-Type, Content-Length 0.
func TestHandlerOKOnTheWire(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec.handler())
	defer srv.Close()
	contentType, body := webhookFixture(t, "status_v2_json.txt")
	resp, err := http.Post(srv.URL+"/?token="+testToken, contentType, bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, got)
	assert.Equal(t, int64(0), resp.ContentLength)
	assert.Empty(t, resp.Header.Values("Content-Type"))
	assert.Equal(t, 1, rec.count())
}

// TestHandlerServerConcurrent drives a real server from many goroutines:
// every event reaches its callback once, and the race detector watches.
func TestHandlerServerConcurrent(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(rec.handler())
	defer srv.Close()
	names := make([]string, 0, len(fixtureEvents))
	for name := range fixtureEvents {
		names = append(names, name)
	}
	const rounds = 4
	var wg sync.WaitGroup
	errs := make(chan error, rounds*len(names))
	for round := range rounds {
		for _, name := range names {
			wg.Go(func() {
				contentType, body := webhookFixture(t, name)
				resp, err := http.Post(srv.URL+"/hook?token="+testToken, contentType, bytes.NewReader(body))
				if err != nil {
					errs <- err
					return
				}
				defer resp.Body.Close()
				_, _ = io.Copy(io.Discard, resp.Body)
				if resp.StatusCode != 200 {
					errs <- fmt.Errorf("round %d %s: %d", round, name, resp.StatusCode)
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, rounds*len(names), rec.count())
}

func TestEventKey(t *testing.T) {
	assert.Equal(t, "status:42:7", EventKey(&StatusUpdate{SMSID: 42, Status: StatusDelivered}))
	assert.Equal(t, "status:42:6", EventKey(&StatusUpdate{SMSID: 42, Status: StatusSent}))
	assert.Equal(t, "text:12345:42", EventKey(&TextMessage{SMSID: 42, DeviceID: 12345}))
	assert.Equal(t, "image:0:43", EventKey(&ImageMessage{SMSID: 43}))
}

func TestMemoryDeduplicator(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 6, 2, 12, 0, 0, 0, time.UTC)
	d := &MemoryDeduplicator{MaxKeys: 3, Lease: time.Minute, Retention: time.Hour, Now: func() time.Time { return now }}

	claim := func(key string) (Claim, Lease) {
		c, l, err := d.Claim(ctx, key)
		require.NoError(t, err)
		return c, l
	}
	c, l := claim("a")
	assert.Equal(t, ClaimNew, c)
	c, _ = claim("a")
	assert.Equal(t, ClaimBusy, c, "held, not yet handled")
	require.NoError(t, d.Release(ctx, "a", l))
	c, l = claim("a")
	assert.Equal(t, ClaimNew, c, "released after a failure: a retry may run")
	require.NoError(t, d.Commit(ctx, "a", l))
	c, _ = claim("a")
	assert.Equal(t, ClaimDone, c)

	now = now.Add(59 * time.Minute)
	c, _ = claim("a")
	assert.Equal(t, ClaimDone, c)
	now = now.Add(time.Minute)
	c, l = claim("a")
	assert.Equal(t, ClaimNew, c, "forgotten after Retention")
	require.NoError(t, d.Commit(ctx, "a", l))

	for _, k := range []string{"b", "c", "d"} {
		c, l := claim(k)
		assert.Equal(t, ClaimNew, c)
		require.NoError(t, d.Commit(ctx, k, l))
	}
	assert.Equal(t, 3, d.Len(), "bounded by MaxKeys")
	c, _ = claim("a")
	assert.Equal(t, ClaimNew, c, "the oldest key went first")

	// A lease runs out: the key is taken over, and the old holder changes
	// nothing.
	now = now.Add(time.Minute)
	c, taken := claim("a")
	assert.Equal(t, ClaimNew, c, "taken over after the lease")
	c, _ = claim("a")
	assert.Equal(t, ClaimBusy, c)
	require.NoError(t, d.Commit(ctx, "a", taken))

	var zero MemoryDeduplicator
	c, _, err := zero.Claim(ctx, "x")
	require.NoError(t, err)
	assert.Equal(t, ClaimNew, c, "the zero value works")
}

// TestMemoryDeduplicatorKeepsHeldKeys: a full map forgets handled keys,
// never one whose callback is still running.
func TestMemoryDeduplicatorKeepsHeldKeys(t *testing.T) {
	ctx := context.Background()
	d := &MemoryDeduplicator{MaxKeys: 2}
	var leases []Lease
	for _, k := range []string{"a", "b", "c"} {
		c, l, err := d.Claim(ctx, k)
		require.NoError(t, err)
		require.Equal(t, ClaimNew, c)
		leases = append(leases, l)
	}
	for _, k := range []string{"d", "e", "f", "g"} { // handled keys fill the map, and overflow it
		_, l, err := d.Claim(ctx, k)
		require.NoError(t, err)
		require.NoError(t, d.Commit(ctx, k, l))
	}
	for _, k := range []string{"a", "b", "c"} {
		c, _, err := d.Claim(ctx, k)
		require.NoError(t, err)
		assert.Equal(t, ClaimBusy, c, "held key %s must not be evicted", k)
	}
	assert.Equal(t, 3+2, d.Len(), "three held keys beside MaxKeys handled ones")
	for i, k := range []string{"a", "b", "c"} {
		require.NoError(t, d.Commit(ctx, k, leases[i]))
	}
	for _, k := range []string{"e", "f", "g"} {
		c, _, err := d.Claim(ctx, k)
		require.NoError(t, err)
		assert.Equal(t, ClaimNew, c, "handled key %s went to make room", k)
	}
}

// TestHandlerAbortReleasesClaim: a callback that aborts the request with
// http.ErrAbortHandler gives its claim up (the panic goes on to net/http),
// so that a retry runs.
func TestHandlerAbortReleasesClaim(t *testing.T) {
	var calls atomic.Int32
	h := &Handler{
		OnStatus: func(context.Context, *StatusUpdate) error {
			if calls.Add(1) == 1 {
				panic(http.ErrAbortHandler)
			}
			return nil
		},
		Deduplicator: &MemoryDeduplicator{},
		Logger:       slog.New(slog.DiscardHandler),
	}
	send := func() int {
		return serve(h, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"sms_id":9,"status_id":7}`))).Code
	}
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() { send() })
	assert.Equal(t, 200, send(), "the retry runs the callback")
	assert.Equal(t, 200, send(), "and then it is handled")
	assert.Equal(t, int32(2), calls.Load())
}

// failingDeduplicator stands for a store that is down.
type failingDeduplicator struct{}

var errStoreDown = errors.New("dial tcp 10.0.0.7:6379: connection refused")

func (failingDeduplicator) Claim(context.Context, string) (Claim, Lease, error) {
	return 0, "", errStoreDown
}
func (failingDeduplicator) Commit(context.Context, string, Lease) error  { return errStoreDown }
func (failingDeduplicator) Release(context.Context, string, Lease) error { return errStoreDown }

// TestHandlerDeduplicatorFails: a store that is down is answered 503 with
// the Handler's own message, not the callback's, and not the store's
// error, which names an address; the callback does not run.
func TestHandlerDeduplicatorFails(t *testing.T) {
	var reported error
	var calls atomic.Int32
	h := &Handler{
		OnStatus:     func(context.Context, *StatusUpdate) error { calls.Add(1); return nil },
		Deduplicator: failingDeduplicator{},
		Logger:       slog.New(slog.DiscardHandler),
		OnError:      func(_ *http.Request, _ int, err error) { reported = err },
	}
	w := serve(h, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"sms_id":9,"status_id":7}`)))
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	var answer struct{ Error string }
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &answer))
	assert.Equal(t, ErrDeduplicator.Error(), answer.Error)
	assert.ErrorIs(t, reported, ErrDeduplicator)
	assert.ErrorIs(t, reported, errStoreDown, "the cause goes to OnError and the log")
	assert.Zero(t, calls.Load())
}

// TestHandlerDeduplicates: a copy of a handled event is answered 200 without
// the callback; a retry after a failure reaches the callback again.
func TestHandlerDeduplicates(t *testing.T) {
	var calls atomic.Int32
	fail := true
	h := &Handler{
		OnStatus: func(context.Context, *StatusUpdate) error {
			calls.Add(1)
			if fail {
				return errors.New("try later")
			}
			return nil
		},
		Deduplicator: &MemoryDeduplicator{},
		Logger:       slog.New(slog.DiscardHandler),
	}
	send := func(body string) int {
		return serve(h, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))).Code
	}
	assert.Equal(t, 500, send(`{"sms_id":1,"status_id":6}`))
	fail = false
	assert.Equal(t, 200, send(`{"sms_id":1,"status_id":6}`), "a retry after a failure runs again")
	assert.Equal(t, 200, send(`sms_id=1&status_id=6`), "the same event, in another encoding")
	assert.Equal(t, 200, send(`{"sms_id":1,"status_id":7}`), "a new status is a new event")
	assert.Equal(t, int32(3), calls.Load())
}

// TestHandlerConcurrentCopies: copies of one event that arrive at once run
// the callback once; the others are told to come back (409) or, once it is
// done, that it was handled (200).
func TestHandlerConcurrentCopies(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	h := &Handler{
		OnText: func(context.Context, *TextMessage) error {
			calls.Add(1)
			<-release
			return nil
		},
		Deduplicator: &MemoryDeduplicator{},
		Logger:       slog.New(slog.DiscardHandler),
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	const copies = 16
	codes := make(chan int, copies)
	var wg sync.WaitGroup
	for range copies {
		wg.Go(func() {
			resp, err := http.Post(srv.URL, "application/json", strings.NewReader(`{"sms_id":77,"device_id":5,"body":"once"}`))
			if !assert.NoError(t, err) {
				return
			}
			_ = resp.Body.Close()
			codes <- resp.StatusCode
		})
	}
	// Wait until the first copy is inside the callback, and every other
	// copy has been answered.
	require.Eventually(t, func() bool { return calls.Load() == 1 && len(codes) == copies-1 }, 10*time.Second, time.Millisecond)
	close(release)
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	assert.Equal(t, int32(1), calls.Load())
	assert.Equal(t, map[int]int{200: 1, 409: copies - 1}, count)

	resp, err := http.Post(srv.URL, "application/json", strings.NewReader(`{"sms_id":77,"device_id":5,"body":"once"}`))
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode, "a copy after success is acknowledged")
	assert.Equal(t, int32(1), calls.Load())
}
