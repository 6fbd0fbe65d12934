// main_test.go runs the receiver in-process on a loopback port: an event
// is acknowledged and its copy is skipped, a request without the token is
// refused, and the receiver stops cleanly.

package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lines is the receiver's stdout and log, written from its goroutines.
type lines struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	addr chan string
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if a, ok := strings.CutPrefix(strings.TrimSpace(string(p)), "listening on http://"); ok {
		l.addr <- strings.TrimSuffix(a, "/smsgw24")
	}
	return l.buf.Write(p)
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func TestReceiver(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &lines{addr: make(chan string, 1)}
	code := make(chan int, 1)
	go func() { code <- run(ctx, []string{"-addr", "127.0.0.1:0", "-token", "secret"}, out, out) }()
	url := "http://" + <-out.addr + "/smsgw24"

	post := func(url string) int {
		resp, err := http.Post(url, "application/json", strings.NewReader(`{"sms_id":42,"status_id":7}`))
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	assert.Equal(t, http.StatusOK, post(url+"?token=secret"))
	assert.Equal(t, http.StatusOK, post(url+"?token=secret"), "a copy is acknowledged")
	assert.Equal(t, http.StatusUnauthorized, post(url))
	assert.Equal(t, http.StatusForbidden, post(url+"?token=guess"))

	cancel()
	require.Equal(t, 0, <-code, "exit code after shutdown\n%s", out)
	log := out.String()
	assert.Equal(t, 1, strings.Count(log, `msg="status update" sms_id=42 status=delivered`), "the callback ran once:\n%s", log)
	assert.NotContains(t, log, "secret")
}

func TestReceiverRefusesToStartWithoutToken(t *testing.T) {
	t.Setenv("SMSGW24_TOKEN", "")
	var log bytes.Buffer
	assert.Equal(t, 2, run(context.Background(), []string{"-addr", "127.0.0.1:0"}, io.Discard, &log))
	assert.Contains(t, log.String(), "no token")
}
