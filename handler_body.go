// handler_body.go reads a request's body for the Handler: capped at
// MaxBodyBytes, into a pooled buffer that grows only as bytes arrive, so
// that a client announcing a large body and sending little costs little.

package smsgw24

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
)

// A request's body buffer (see buffers) starts with initialBodyBuffer
// bytes and grows as bytes arrive.
const initialBodyBuffer = 2 << 10

// Check reports what would make the [Handler] fail requests that it should
// accept, so that a program can refuse to start with it rather than learn
// of it at the first webhook. The error joins one error per finding:
//
//   - a kind of event (status, text, image) that has no callback, while
//     OnEvent is nil: it wraps [ErrNoCallback] and names the kind. Such an
//     event would be answered 501.
//   - no Verifier: it wraps [ErrNoVerifier]. Anyone who knows the URL could
//     post.
//   - a Verifier of this package that rejects every request, such as Token
//     with only empty secrets (an unset environment variable), an
//     IPAllowlist without Allow, a malformed StandardWebhooks secret, or an
//     All or Any holding one: it wraps [ErrNotConfigured].
//
// A Handler meant to serve one kind only sets OnEvent to answer the others;
// one meant to accept every request says so with a [Verifier], such as a
// [VerifierFunc] that returns nil. Check returns nil when it finds nothing.
func (h *Handler) Check() error {
	var errs []error
	if h.OnEvent == nil {
		for _, c := range []struct {
			kind Kind
			set  bool
		}{{KindStatus, h.OnStatus != nil}, {KindText, h.OnText != nil}, {KindImage, h.OnImage != nil}} {
			if !c.set {
				errs = append(errs, fmt.Errorf("%w: %s (set On%s or OnEvent)", ErrNoCallback, c.kind, callbackSuffix(c.kind)))
			}
		}
	}
	if h.Verifier == nil {
		errs = append(errs, ErrNoVerifier)
	} else if err := checkVerifierConfig(h.Verifier); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// readBody reads the body into buf, up to the cap, and returns it. The
// returned slice may have grown out of buf, even with an error.
//
// buf grows only as bytes arrive, at most doubling what was read: a
// Content-Length is believed only as far as the bytes that came, so that a
// client announcing a large body and sending little costs little.
func (h *Handler) readBody(r *http.Request, buf []byte) ([]byte, error) {
	limit := h.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	if r.ContentLength > limit {
		return buf, fmt.Errorf("%w: %d bytes, the limit is %d", ErrBodyTooLarge, r.ContentLength, limit)
	}
	if r.Body == nil {
		return buf, nil
	}
	// Read at most limit+1 bytes, to tell a body at the cap from one over
	// it, straight into buf: no reader is wrapped around the body.
	for int64(len(buf)) <= limit {
		if len(buf) == cap(buf) {
			buf = growBody(buf, r.ContentLength)
		}
		window := buf[len(buf):cap(buf)]
		if room := limit - int64(len(buf)); room < int64(len(window)) {
			window = window[:room+1] // room+1 <= len(window): no overflow, even at math.MaxInt64
		}
		n, err := r.Body.Read(window)
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) { // capped by a middleware
				return buf, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, mbe.Limit)
			}
			// The cause (a timeout, a reset connection) names addresses: it
			// goes to the log, not into the answer.
			h.logger().LogAttrs(r.Context(), slog.LevelWarn, "webhook body read failed",
				slog.String("error", err.Error()), slog.String("path", r.URL.Path))
			return buf, fmt.Errorf("%w: reading the body failed", ErrMalformedBody)
		}
	}
	if int64(len(buf)) > limit {
		return buf, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, limit)
	}
	return buf, nil
}

// growBody makes room in a full buf: it doubles it (from at least
// initialBodyBuffer bytes), but not past the announced length plus the one
// byte that finds the end, once enough bytes have come to need it.
func growBody(buf []byte, announced int64) []byte {
	n := max(len(buf), initialBodyBuffer)
	if rest := announced - int64(len(buf)); rest >= 0 && rest <= int64(n) {
		n = int(rest) + 1
	}
	grown := make([]byte, len(buf), len(buf)+n)
	copy(grown, buf)
	return grown
}
