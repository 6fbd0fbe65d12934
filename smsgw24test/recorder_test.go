// recorder_test.go checks what the Recorder keeps: the events the callbacks
// accepted, once, in order, from concurrent requests too, and that it
// leaves the Handler it was given as it was.

package smsgw24test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24"
)

func TestRecorderKeepsWhatTheCallbacksAccepted(t *testing.T) {
	var texts []string
	h := &smsgw24.Handler{
		OnText: func(_ context.Context, m *smsgw24.TextMessage) error {
			texts = append(texts, m.Body)
			if m.Body == "fail" {
				return errors.New("database down")
			}
			return nil
		},
		OnStatus:     func(context.Context, *smsgw24.StatusUpdate) error { return nil },
		Deduplicator: &smsgw24.MemoryDeduplicator{},
		Logger:       quiet,
	}
	rec := NewRecorder(h)

	ok := &smsgw24.TextMessage{SMSID: 1, Body: "ok"}
	assert.Equal(t, http.StatusOK, rec.Serve(NewRequest(ok, RequestOptions{})).Code)
	assert.Equal(t, http.StatusOK, rec.Serve(NewRequest(ok, RequestOptions{Form: true})).Code, "a duplicate is answered 200")
	assert.Equal(t, http.StatusInternalServerError, rec.Serve(NewRequest(&smsgw24.TextMessage{SMSID: 2, Body: "fail"}, RequestOptions{})).Code)
	assert.Equal(t, http.StatusNotImplemented, rec.Serve(NewFixtureRequest("image_v2_json", RequestOptions{})).Code,
		"a Handler without OnImage answers 501 as it would")
	assert.Equal(t, http.StatusOK, rec.Serve(NewFixtureRequest("status_v2_form", RequestOptions{})).Code)

	assert.Equal(t, []string{"ok", "fail"}, texts, "the user's callbacks ran, once per new event")
	assert.Equal(t, []*smsgw24.TextMessage{ok}, rec.Texts(), "only what the callback accepted, once")
	require.Len(t, rec.Statuses(), 1)
	assert.Equal(t, int64(3281468), rec.Statuses()[0].SMSID)
	assert.Empty(t, rec.Images())
	assert.Len(t, rec.Events(), 2)
	assert.Equal(t, smsgw24.KindText, rec.Events()[0].Kind())

	assert.Nil(t, h.OnEvent, "the Handler given is not changed")
	assert.Nil(t, h.OnImage)

	rec.Reset()
	assert.Empty(t, rec.Events())
}

func TestRecorderWithoutCallbacks(t *testing.T) {
	for _, h := range []*smsgw24.Handler{nil, {Logger: quiet}} {
		rec := NewRecorder(h)
		for _, f := range Fixtures() {
			resp := rec.Serve(NewFixtureRequest(f.Name, RequestOptions{}))
			require.Equal(t, http.StatusOK, resp.Code, "%s: %s", f.Name, resp.Body)
		}
		assert.Len(t, rec.Events(), len(Fixtures()))
		assert.Len(t, rec.Statuses(), countPrefix("status_"))
		assert.Len(t, rec.Texts(), countPrefix("text_"))
		assert.Len(t, rec.Images(), countPrefix("image_"))
		assert.Equal(t, len(Fixtures()), countPrefix("status_")+countPrefix("text_")+countPrefix("image_"))
	}
}

func TestRecorderOnEvent(t *testing.T) {
	var kinds []smsgw24.Kind
	rec := NewRecorder(&smsgw24.Handler{
		OnEvent: func(_ context.Context, ev smsgw24.Event) error {
			kinds = append(kinds, ev.Kind())
			return nil
		},
		OnImage: func(context.Context, *smsgw24.ImageMessage) error { return errors.New("no images, please") },
		Logger:  quiet,
	})
	assert.Equal(t, http.StatusOK, rec.Serve(NewFixtureRequest("status_v1_json", RequestOptions{})).Code)
	assert.Equal(t, http.StatusOK, rec.Serve(NewFixtureRequest("text_v1_json", RequestOptions{})).Code)
	assert.Equal(t, http.StatusInternalServerError, rec.Serve(NewFixtureRequest("image_v2_json", RequestOptions{})).Code)
	assert.Equal(t, []smsgw24.Kind{smsgw24.KindStatus, smsgw24.KindText}, kinds)
	assert.Len(t, rec.Events(), 2)
}

// TestRecorderConcurrent: a Recorder mounted on a server keeps every event
// of concurrent requests (run with -race).
func TestRecorderConcurrent(t *testing.T) {
	rec := NewRecorder(&smsgw24.Handler{Verifier: smsgw24.Token("s3cret"), Logger: quiet})
	srv := httptest.NewServer(rec)
	defer srv.Close()

	var wg sync.WaitGroup
	for _, f := range Fixtures() {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/hook?token=s3cret", strings.NewReader(string(f.Body)))
			if !assert.NoError(t, err) {
				return
			}
			if f.ContentType != "" {
				req.Header.Set("Content-Type", f.ContentType)
			}
			resp, err := srv.Client().Do(req)
			if assert.NoError(t, err) {
				resp.Body.Close()
				assert.Equal(t, http.StatusOK, resp.StatusCode, f.Name)
			}
		})
		wg.Go(func() { _ = rec.Events() })
	}
	wg.Wait()
	assert.Len(t, rec.Events(), len(Fixtures()))
}

// countPrefix counts the fixtures whose names start with prefix: a
// fixture's name starts with the kind of event it holds.
func countPrefix(prefix string) int {
	n := 0
	for _, f := range Fixtures() {
		if strings.HasPrefix(f.Name, prefix) {
			n++
		}
	}
	return n
}

// capturingTB is a test's t whose output is kept for the assertions.
type capturingTB struct {
	testing.TB
	out *strings.Builder
}

func (c capturingTB) Output() io.Writer { return c.out }

// useDefaultLogger makes slog.Default write to a buffer until the test ends.
func useDefaultLogger(t *testing.T) *strings.Builder {
	var buf strings.Builder
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return &buf
}

// TestRecorderLogsToTheTest: given t, the Handler's log goes to the
// test's output, its handled events too; nothing goes to slog.Default
// (stderr). A Logger the Handler has is kept, and without t the log goes
// where it went.
func TestRecorderLogsToTheTest(t *testing.T) {
	defaultLog := useDefaultLogger(t)
	testLog := &strings.Builder{}
	h := &smsgw24.Handler{
		OnStatus: func(context.Context, *smsgw24.StatusUpdate) error { return nil },
		Verifier: smsgw24.Token("s3cret"),
	}
	rec := NewRecorder(h, capturingTB{t, testLog})
	assert.Equal(t, http.StatusForbidden, rec.Serve(NewFixtureRequest("status_v1_json", RequestOptions{Token: "guess"})).Code)
	assert.Equal(t, http.StatusOK, rec.Serve(NewFixtureRequest("status_v1_json", RequestOptions{Token: "s3cret"})).Code)

	lines := strings.Split(strings.TrimSuffix(testLog.String(), "\n"), "\n")
	require.Len(t, lines, 2, testLog.String())
	assert.Contains(t, lines[0], `level=WARN msg="webhook rejected" http_status=403 error="smsgw24: token rejected"`)
	assert.Contains(t, lines[1], `level=DEBUG msg="webhook handled" kind=status sms_id=3281467`)
	assert.NotContains(t, testLog.String(), "s3cret")
	assert.Empty(t, defaultLog.String(), "nothing on slog.Default")
	assert.Nil(t, h.Logger, "the Handler given is not changed")

	// A Logger of the Handler's own is kept.
	var own strings.Builder
	h.Logger = slog.New(slog.NewTextHandler(&own, nil))
	testLog.Reset()
	assert.Equal(t, http.StatusUnauthorized, NewRecorder(h, capturingTB{t, testLog}).Serve(NewFixtureRequest("status_v1_json", RequestOptions{})).Code)
	assert.Contains(t, own.String(), "http_status=401")
	assert.Empty(t, testLog.String())

	// Without t, the log goes where it went before.
	h.Logger = nil
	assert.Equal(t, http.StatusUnauthorized, NewRecorder(h).Serve(NewFixtureRequest("status_v1_json", RequestOptions{})).Code)
	assert.Contains(t, defaultLog.String(), "http_status=401")
	assert.Empty(t, testLog.String())
}

// TestRecorderLogAfterTheTest: records that come after the test ended
// are dropped rather than written to its output.
func TestRecorderLogAfterTheTest(t *testing.T) {
	var out strings.Builder
	w := &testOutput{out: &out}
	_, err := w.Write([]byte("before\n"))
	require.NoError(t, err)
	w.close()
	n, err := w.Write([]byte("after\n"))
	require.NoError(t, err)
	assert.Equal(t, 6, n)
	assert.Equal(t, "before\n", out.String())

	// And through a Recorder whose test has ended.
	var rec *Recorder
	var inner strings.Builder
	t.Run("ends", func(t *testing.T) {
		rec = NewRecorder(&smsgw24.Handler{Verifier: smsgw24.Token("s3cret")}, capturingTB{t, &inner})
	})
	assert.Equal(t, http.StatusUnauthorized, rec.Serve(NewFixtureRequest("status_v1_json", RequestOptions{})).Code)
	assert.Empty(t, inner.String())
}
