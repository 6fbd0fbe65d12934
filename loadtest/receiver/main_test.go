// main_test.go runs the receiver in-process on a loopback port: tokens,
// de-duplication, the latest status, the refusal to start without a
// token, and the server timeouts against a client that trickles bytes.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

// addrWriter is the receiver's stdout: it hands over the address of the
// line that announces it.
type addrWriter struct {
	once sync.Once
	addr chan string
}

func (w *addrWriter) Write(p []byte) (int, error) {
	const prefix = "smsgw24 receiver listening on http://"
	if line, ok := strings.CutPrefix(strings.TrimSpace(string(p)), prefix); ok {
		w.once.Do(func() { w.addr <- line })
	}
	return len(p), nil
}

// syncBuffer collects the log for the assertions, written from the
// server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// start runs the receiver with args on a free loopback port and returns
// its base URL; it is stopped, and must exit 0, when the test ends.
func start(t *testing.T, args ...string) (base string, log *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout := &addrWriter{addr: make(chan string, 1)}
	log = &syncBuffer{}
	code := make(chan int, 1)
	go func() { code <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), stdout, log) }()
	select {
	case addr := <-stdout.addr:
		base = "http://" + addr
	case c := <-code:
		cancel()
		t.Fatalf("receiver exited with %d before listening:\n%s", c, log)
	}
	t.Cleanup(func() {
		cancel()
		assert.Equal(t, 0, <-code, "exit code after shutdown\n%s", log)
	})
	return base, log
}

// fixture returns the Content-Type and body of one of the library's
// fixtures (see smsgw24test.Fixtures).
func fixture(t *testing.T, name string) (contentType string, body []byte) {
	t.Helper()
	f, ok := smsgw24test.LookupFixture(name)
	require.True(t, ok, "no fixture %s", name)
	return f.ContentType, f.Body
}

func post(t *testing.T, url, contentType string, body []byte) (int, string) {
	t.Helper()
	resp, err := http.Post(url, contentType, bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(answer)
}

// getStats reads /stats with the token every test but one starts the
// receiver with; the receiver started -insecure takes it too.
func getStats(t *testing.T, base string) stats {
	t.Helper()
	resp, err := http.Get(base + "/stats?token=secret")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var s stats
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&s))
	return s
}

func TestReceiverToken(t *testing.T) {
	base, log := start(t, "-token", "secret")
	ct, body := fixture(t, "status_v2_json.txt")

	code, answer := post(t, base+"/smsgw24?token=secret", ct, body)
	assert.Equal(t, http.StatusOK, code, answer)
	code, answer = post(t, base+"/smsgw24", ct, body)
	assert.Equal(t, http.StatusUnauthorized, code, answer)
	code, answer = post(t, base+"/smsgw24?token=guess", ct, body)
	assert.Equal(t, http.StatusForbidden, code, answer)
	code, answer = post(t, base+"/smsgw24?token=secret", ct, body)
	assert.Equal(t, http.StatusOK, code, "a copy is acknowledged: %s", answer)

	assert.Equal(t, stats{Callbacks: 1, DistinctEvents: 1, LatestStatuses: 1, DuplicatesSkipped: 1, Rejected: 2}, getStats(t, base))
	assert.Contains(t, log.String(), `msg="status update" sms_id=3281468 status=sent`)
	assert.NotContains(t, log.String(), "secret")
}

// TestReceiverStateNeedsToken: the status lookup and the counters are
// served only with the token, in the URL or a Bearer header.
func TestReceiverStateNeedsToken(t *testing.T) {
	base, _ := start(t, "-token", "secret")
	code, answer := post(t, base+"/smsgw24?token=secret", "application/x-www-form-urlencoded", []byte("sms_id=42&status_id=7"))
	require.Equal(t, http.StatusOK, code, answer)
	for _, path := range []string{"/stats", "/status/42", "/status/43", "/status/x"} {
		for _, tc := range []struct {
			query, bearer string
			want          int
		}{
			{"", "", http.StatusUnauthorized},
			{"?token=guess", "", http.StatusForbidden},
			{"?token=", "", http.StatusUnauthorized},
			{"", "guess", http.StatusForbidden},
		} {
			req, err := http.NewRequest(http.MethodGet, base+path+tc.query, nil)
			require.NoError(t, err)
			if tc.bearer != "" {
				req.Header.Set("Authorization", "Bearer "+tc.bearer)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			_ = resp.Body.Close()
			assert.Equal(t, tc.want, resp.StatusCode, "%s%s bearer %q", path, tc.query, tc.bearer)
			assert.NotContains(t, string(body), "delivered", "%s%s", path, tc.query)
		}
	}
	req, err := http.NewRequest(http.MethodGet, base+"/status/42", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer secret")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var got struct {
		Status string `json:"status"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "delivered", got.Status)
}

func TestReceiverTokenFromEnvironment(t *testing.T) {
	t.Setenv("SMSGW24_TOKEN", "from-env")
	base, _ := start(t)
	ct, body := fixture(t, "text_v2_json.txt")
	code, _ := post(t, base+"/smsgw24?token=from-env", ct, body)
	assert.Equal(t, http.StatusOK, code)
	code, _ = post(t, base+"/smsgw24", ct, body)
	assert.Equal(t, http.StatusUnauthorized, code)
}

func TestReceiverRefusesToStartWithoutToken(t *testing.T) {
	t.Setenv("SMSGW24_TOKEN", "")
	var log bytes.Buffer
	code := run(context.Background(), []string{"-addr", "127.0.0.1:0"}, io.Discard, &log)
	assert.Equal(t, 2, code)
	assert.Contains(t, log.String(), "-insecure")
}

func TestReceiverInsecure(t *testing.T) {
	t.Setenv("SMSGW24_TOKEN", "")
	base, log := start(t, "-insecure")
	ct, body := fixture(t, "image_v2_json.txt")
	code, answer := post(t, base+"/smsgw24", ct, body)
	assert.Equal(t, http.StatusOK, code, answer)
	assert.Contains(t, log.String(), "every request is accepted")
	assert.Equal(t, int64(1), getStats(t, base).Images)
}

func TestReceiverBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-nope"}, {"-token", "x", "extra"}, {"-token", "x", "-keep", "0"}, {"-token", "x", "-log-level", "loud"}} {
		assert.Equal(t, 2, run(context.Background(), args, io.Discard, io.Discard), "%q", args)
	}
}

// TestReceiverLatestStatus: a late "sent" after "delivered" does not take
// the stored status back.
func TestReceiverLatestStatus(t *testing.T) {
	base, _ := start(t, "-token", "secret")
	url := base + "/smsgw24?token=secret"
	for _, status := range []string{"6", "7", "6", "2"} {
		code, answer := post(t, url, "application/x-www-form-urlencoded", []byte("sms_id=42&status_id="+status))
		require.Equal(t, http.StatusOK, code, answer)
	}
	resp, err := http.Get(base + "/status/42?token=secret")
	require.NoError(t, err)
	defer resp.Body.Close()
	var got struct {
		StatusID int    `json:"status_id"`
		Status   string `json:"status"`
		Final    bool   `json:"final"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	assert.Equal(t, 7, got.StatusID)
	assert.Equal(t, "delivered", got.Status)
	assert.True(t, got.Final)
	s := getStats(t, base)
	assert.Equal(t, int64(3), s.Callbacks, "6, 7 and 2 are new events; the second 6 is a copy")
	assert.Equal(t, int64(1), s.DuplicatesSkipped)

	for path, want := range map[string]int{"/status/43": http.StatusNotFound, "/status/x": http.StatusBadRequest} {
		resp, err := http.Get(base + path + "?token=secret")
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, path)
	}
}

// TestReceiverConcurrentCopies: copies of one event posted at once run
// the callback once.
func TestReceiverConcurrentCopies(t *testing.T) {
	base, _ := start(t, "-token", "secret", "-log-level", "ERROR")
	ct, body := fixture(t, "text_v2_json.txt")
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			resp, err := http.Post(base+"/smsgw24?token=secret", ct, bytes.NewReader(body))
			if assert.NoError(t, err) {
				_ = resp.Body.Close()
				assert.Contains(t, []int{http.StatusOK, http.StatusConflict}, resp.StatusCode)
			}
		})
	}
	wg.Wait()
	s := getStats(t, base)
	assert.Equal(t, int64(1), s.Callbacks)
	assert.Equal(t, int64(1), s.DistinctEvents)
	assert.Equal(t, int64(19), s.DuplicatesSkipped+s.Busy)
}

// trickle sends first at once, then rest one byte at a time with a pause
// between bytes, until all is sent or the server closed the connection,
// and requires that the server closed it. The exchange is bounded by a
// deadline far beyond the server's timeouts: the test fails only if the
// server never lets go.
func trickle(t *testing.T, addr string, first, rest []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(time.Minute)))
	_, err = conn.Write(first)
	require.NoError(t, err)

	closed := make(chan error, 1)
	go func() {
		// The server closes the connection, with or without an answer.
		_, err := io.Copy(io.Discard, conn)
		closed <- err
	}()
	for _, b := range rest {
		select {
		case err := <-closed:
			requireServerClosed(t, err)
			return
		case <-time.After(50 * time.Millisecond):
		}
		if _, err := conn.Write([]byte{b}); err != nil {
			break // closed by the server
		}
	}
	requireServerClosed(t, <-closed)
}

// requireServerClosed checks how a connection ended: by the server, with
// an end of stream (nil from io.Copy) or a reset, and not by the client's
// own deadline.
func requireServerClosed(t *testing.T, err error) {
	t.Helper()
	require.False(t, errors.Is(err, os.ErrDeadlineExceeded), "the connection ended by the deadline, not by the server: %v", err)
}

// TestReceiverSlowClient: a client that sends one byte at a time, of its
// headers or of its body, or nothing at all, is cut off by the server's
// timeouts instead of holding a connection forever.
func TestReceiverSlowClient(t *testing.T) {
	base, _ := start(t, "-token", "secret", "-log-level", "ERROR",
		"-read-header-timeout", "200ms", "-read-timeout", "400ms", "-write-timeout", "400ms", "-idle-timeout", "400ms")
	addr := strings.TrimPrefix(base, "http://")
	body := `{"sms_id":1,"status_id":7,"pad":"` + strings.Repeat("x", 200) + `"}`
	head := "POST /smsgw24?token=secret HTTP/1.1\r\nHost: " + addr +
		"\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"

	t.Run("headers", func(t *testing.T) { trickle(t, addr, nil, []byte(head+body)) })
	t.Run("body", func(t *testing.T) { trickle(t, addr, []byte(head), []byte(body)) })
	t.Run("nothing", func(t *testing.T) { trickle(t, addr, nil, nil) })
	assert.Zero(t, getStats(t, base).Callbacks)
}
