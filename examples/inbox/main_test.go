package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-smsgw24/smsgw24/inbox"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a log destination for concurrent writers.
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

func TestStoresThenDelivers(t *testing.T) {
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ib, err := inbox.Open(t.Context(), "sqlite:"+filepath.Join(t.TempDir(), "inbox.db"), handlers(log))
	require.NoError(t, err)
	defer ib.Close()
	mux := newMux(ib, "s3cret", log)

	w := httptest.NewRecorder()
	mux.ServeHTTP(w, smsgw24test.NewFixtureRequest("text_v2_json", smsgw24test.RequestOptions{URL: "/smsgw24", Token: "s3cret"}))
	assert.Equal(t, http.StatusOK, w.Code)
	w = httptest.NewRecorder()
	mux.ServeHTTP(w, smsgw24test.NewFixtureRequest("text_v2_json", smsgw24test.RequestOptions{URL: "/smsgw24", Token: "wrong"}))
	assert.Equal(t, http.StatusForbidden, w.Code)

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- ib.Run(ctx) }()
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), `msg="text message" sms_id=9911203`) },
		time.Minute, 20*time.Millisecond)
	cancel()
	require.NoError(t, <-done)
}

func TestNeedsAToken(t *testing.T) {
	t.Setenv("SMSGW24_TOKEN", "")
	var stderr bytes.Buffer
	assert.Equal(t, 2, run(t.Context(), []string{"-db", filepath.Join(t.TempDir(), "x.db")}, &bytes.Buffer{}, &stderr))
	assert.Contains(t, stderr.String(), "-token")
}
