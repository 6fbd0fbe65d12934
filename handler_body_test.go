// handler_body_test.go pins how Handler reads a body: the default cap holds
// the longest WhatsApp text, a cap of math.MaxInt64 works, the buffer grows
// only as bytes arrive, and a verifier that needs no body rejects a request
// before a byte of it is read.

package smsgw24

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// longestWhatsAppText is how many characters a WhatsApp text may hold.
const longestWhatsAppText = 65536

func TestDefaultMaxBodyBytesHoldsTheLongestText(t *testing.T) {
	assert.GreaterOrEqual(t, DefaultMaxBodyBytes, 1<<20)

	tests := []struct {
		name, contentType, body string
	}{
		{"JSON, Cyrillic as \\uXXXX", "application/json",
			`{"sms_id":1,"type":"text","address":"+79001234567","body":"` + strings.Repeat(`\u0416`, longestWhatsAppText) + `"}`},
		{"JSON, emoji as surrogate pairs", "application/json",
			`{"sms_id":1,"type":"text","address":"+79001234567","body":"` + strings.Repeat(`\ud83d\ude00`, longestWhatsAppText) + `"}`},
		{"form, percent-encoded Cyrillic", "application/x-www-form-urlencoded",
			"sms_id=1&type=text&address=%2B79001234567&body=" + strings.Repeat(url.QueryEscape("Ж"), longestWhatsAppText)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Less(t, len(tt.body), DefaultMaxBodyBytes)
			var got *TextMessage
			h := &Handler{
				OnText: func(_ context.Context, m *TextMessage) error { got = m; return nil },
				Logger: slog.New(slog.DiscardHandler),
			}
			r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", tt.contentType)
			w := serve(h, r)
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
			assert.Equal(t, longestWhatsAppText, utf8.RuneCountInString(got.Body))
		})
	}
}

func TestHandlerMaxBodyBytesWithoutCap(t *testing.T) {
	for _, announced := range []bool{true, false} {
		rec := &recorder{}
		h := rec.handler()
		h.MaxBodyBytes = math.MaxInt64
		r := fixtureRequest(t, "status_v2_json.txt", "?token="+testToken)
		if !announced {
			r.ContentLength = -1
		}
		w := serve(h, r)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		assert.Equal(t, 1, rec.count())
	}
}

// trickle announces a body and sends sent bytes of it, in pieces of at
// most chunk bytes, then fails as a connection closed early does.
type trickle struct {
	sent, chunk int
}

func (b *trickle) Read(p []byte) (int, error) {
	if b.sent == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	n := min(len(p), b.chunk, b.sent)
	for i := range n {
		p[i] = 'x'
	}
	b.sent -= n
	return n, nil
}

// TestHandlerBodyBufferGrowsAsBytesArrive: whatever Content-Length says,
// the buffer holds at most twice the bytes that came (and at least the few
// KiB it starts with); an honest body gets a buffer of its length plus the
// byte that finds its end.
func TestHandlerBodyBufferGrowsAsBytesArrive(t *testing.T) {
	h := &Handler{Logger: slog.New(slog.DiscardHandler)}
	tests := []struct {
		name      string
		announced int64
		sent      int
		maxCap    int
	}{
		{"1 MiB announced, nothing sent", 1 << 20, 0, initialBodyBuffer},
		{"1 MiB announced, 10 bytes sent", 1 << 20, 10, initialBodyBuffer},
		{"1 MiB announced, 100 KiB sent", 1 << 20, 100 << 10, 128 << 10},
		{"length unknown, 100 KiB sent", -1, 100 << 10, 128 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/hook", nil)
			r.Body = io.NopCloser(&trickle{sent: tt.sent, chunk: 1000})
			r.ContentLength = tt.announced
			buf, err := h.readBody(r, nil)
			require.ErrorIs(t, err, ErrMalformedBody)
			assert.Len(t, buf, tt.sent)
			assert.Equal(t, tt.maxCap, cap(buf))
		})
	}

	t.Run("honest 1 MiB body", func(t *testing.T) {
		body := strings.Repeat("x", 1<<20)
		r := httptest.NewRequest(http.MethodPost, "/hook", io.NopCloser(strings.NewReader(body)))
		r.ContentLength = int64(len(body))
		buf, err := h.readBody(r, nil)
		require.NoError(t, err)
		assert.Len(t, buf, 1<<20)
		assert.Equal(t, 1<<20+1, cap(buf))
	})
}

// TestHandlerAnnouncedBodyCostsLittle serves requests that announce a body
// at the cap and send none of it, and counts the bytes allocated: a
// buffer sized from Content-Length would cost 1 MiB each.
func TestHandlerAnnouncedBodyCostsLittle(t *testing.T) {
	const requests = 32
	rec := &recorder{}
	h := rec.handler()
	reqs := make([]*http.Request, requests)
	for i := range reqs {
		reqs[i] = httptest.NewRequest(http.MethodPost, "/hook?token="+testToken, nil)
		reqs[i].Body = io.NopCloser(&trickle{})
		reqs[i].ContentLength = DefaultMaxBodyBytes
	}
	w := httptest.NewRecorder()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, r := range reqs {
		h.ServeHTTP(w, r)
	}
	runtime.ReadMemStats(&after)
	assert.Equal(t, http.StatusBadRequest, w.Code)
	// About 1.4 KiB each; the bound leaves room for what other goroutines
	// of the process allocate meanwhile, and is still a quarter of the
	// MiB that one reservation would take.
	perRequest := (after.TotalAlloc - before.TotalAlloc) / requests
	assert.Less(t, perRequest, uint64(DefaultMaxBodyBytes/4), "bytes allocated per request")
	t.Logf("%d bytes allocated per request", perRequest)
	assert.Zero(t, rec.count())
}

// unreadBody fails the test that reads it.
type unreadBody struct{ reads int }

func (b *unreadBody) Read([]byte) (int, error) {
	b.reads++
	return 0, errors.New("the body was read")
}

func TestHandlerVerifiesBeforeReadingTheBody(t *testing.T) {
	allow, err := ParsePrefixes("192.0.2.1")
	require.NoError(t, err)
	sw := &StandardWebhooks{Secrets: []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}
	tests := []struct {
		name     string
		verifier Verifier
		query    string
		status   int
		read     bool
	}{
		{"Token, no token", Token(testToken), "", 401, false},
		{"Token, wrong token", Token(testToken), "?token=guess", 403, false},
		{"IPAllowlist", &IPAllowlist{Allow: allow}, "", 403, false},
		{"All of Token and IPAllowlist", All(Token(testToken), &IPAllowlist{Allow: allow}), "?token=" + testToken, 403, false},
		{"Any of Token and IPAllowlist", Any(Token(testToken), &IPAllowlist{Allow: allow}), "?token=guess", 403, false},
		{"Token with no secret", Token(""), "?token=" + testToken, 403, false},
		// A verifier that signs the body needs it, and so does a combination holding one.
		{"All of Token and StandardWebhooks", All(Token(testToken), sw), "?token=guess", 400, true},
		{"Any of Token and StandardWebhooks", Any(Token(testToken), sw), "?token=guess", 400, true},
		{"VerifierFunc", VerifierFunc(func(*http.Request, []byte) error { return ErrBadToken }), "", 400, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			h := rec.handler()
			h.Verifier = tt.verifier
			body := &unreadBody{}
			r := httptest.NewRequest(http.MethodPost, "/hook"+tt.query, nil)
			r.Body = io.NopCloser(body)
			r.ContentLength = DefaultMaxBodyBytes
			r.RemoteAddr = "203.0.113.9:4711"
			w := serve(h, r)
			assert.Equal(t, tt.status, w.Code, w.Body.String())
			assert.Equal(t, tt.read, body.reads > 0, "body read")
			assert.Zero(t, rec.count())
		})
	}
}
