// standardwebhooks.go holds StandardWebhooks, the verifier of Standard
// Webhooks signatures (HMAC-SHA256 of id, timestamp and body), and
// SignStandardWebhook, which makes them.

package smsgw24

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Header names and constants of the Standard Webhooks specification.
const (
	// HeaderWebhookID is the header carrying the unique message id.
	HeaderWebhookID = "webhook-id"
	// HeaderWebhookTimestamp is the header carrying the send time in Unix
	// seconds.
	HeaderWebhookTimestamp = "webhook-timestamp"
	// HeaderWebhookSignature is the header carrying space-separated
	// signatures, each "v1," followed by base64 of an HMAC-SHA256.
	HeaderWebhookSignature = "webhook-signature"
	// StandardWebhooksSecretPrefix starts a Standard Webhooks secret; the
	// rest is standard base64 of the key bytes.
	StandardWebhooksSecretPrefix = "whsec_"
	// DefaultTolerance is how far a message timestamp may lie from the
	// current time, in either direction, when [StandardWebhooks.Tolerance] is
	// zero.
	DefaultTolerance = 5 * time.Minute
)

// StandardWebhooks is a [Verifier] for the Standard Webhooks signature scheme
// (https://www.standardwebhooks.com): the webhook-signature header lists
// space-separated signatures "v1,<base64 HMAC-SHA256>" of
// id + "." + timestamp + "." + body under the key of a secret. A request is
// accepted when any listed v1 signature is valid under any of Secrets (to
// rotate secrets, list the old and the new one); signatures of other versions
// and malformed entries are skipped. The signature is checked first, then the
// timestamp against Tolerance.
//
// The zero value has no secret and rejects every request with
// [ErrNotConfigured]. The struct must not be changed while Verify may run.
// Its secrets are decoded on the first request, and again only after
// Secrets changed.
type StandardWebhooks struct {
	// Secrets are the accepted secrets, each "whsec_" followed by standard
	// base64 of the key (the prefix may be left out). Empty strings are
	// ignored; a malformed one makes Verify reject every request.
	Secrets []string
	// Tolerance is how far the webhook-timestamp may lie in the past or in
	// the future of Now. Zero or negative means [DefaultTolerance].
	Tolerance time.Duration
	// Now returns the current time. Nil means time.Now.
	Now func() time.Time

	decoded atomic.Value // *standardKeys
}

// standardKeys are the keys decoded from a list of secrets.
type standardKeys struct {
	secrets []string // what they were decoded from
	keys    [][]byte
	err     error
}

// keys returns the keys of Secrets, decoding them only when Secrets is not
// what they were last decoded from.
func (w *StandardWebhooks) keys() ([][]byte, error) {
	if d, _ := w.decoded.Load().(*standardKeys); d != nil && slices.Equal(d.secrets, w.Secrets) {
		return d.keys, d.err
	}
	keys, err := decodeSecrets(w.Secrets)
	w.decoded.Store(&standardKeys{secrets: slices.Clone(w.Secrets), keys: keys, err: err})
	return keys, err
}

// NewStandardWebhooks returns a [StandardWebhooks] verifier for secrets with
// the default tolerance and clock. It returns an error wrapping
// [ErrInvalidSecret] when a secret is malformed, and [ErrNotConfigured] when no
// secret is given.
func NewStandardWebhooks(secrets ...string) (*StandardWebhooks, error) {
	keys, err := decodeSecrets(secrets)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, ErrNotConfigured
	}
	return &StandardWebhooks{Secrets: append([]string(nil), secrets...)}, nil
}

// decodeSecrets decodes the non-empty secrets into keys. The error names the
// index of the malformed secret, never its text.
func decodeSecrets(secrets []string) ([][]byte, error) {
	var keys [][]byte
	for i, s := range secrets {
		if s == "" {
			continue
		}
		k, err := decodeSecret(s)
		if err != nil {
			return nil, fmt.Errorf("%w (secret #%d)", err, i)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func decodeSecret(s string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, StandardWebhooksSecretPrefix))
	if err != nil || len(k) == 0 {
		return nil, ErrInvalidSecret
	}
	return k, nil
}

// SignStandardWebhook returns the webhook-signature header value, "v1,"
// followed by base64 of the HMAC-SHA256, that signs body with message id and
// timestamp ts (in whole Unix seconds) under secret, as [StandardWebhooks]
// verifies it. It returns [ErrInvalidSecret] when secret is malformed or empty.
func SignStandardWebhook(secret, id string, ts time.Time, body []byte) (string, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return "", err
	}
	return "v1," + signV1(key, id, strconv.FormatInt(ts.Unix(), 10), body), nil
}

// signV1 returns base64 of the HMAC-SHA256 of id.timestamp.body under key.
func signV1(key []byte, id, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func (w *StandardWebhooks) checkConfig() error {
	if w == nil {
		return fmt.Errorf("%w: StandardWebhooks is nil", ErrNotConfigured)
	}
	keys, err := decodeSecrets(w.Secrets)
	switch {
	case err != nil:
		return fmt.Errorf("%w: %w", ErrNotConfigured, err)
	case len(keys) == 0:
		return fmt.Errorf("%w: StandardWebhooks has no secret", ErrNotConfigured)
	}
	return nil
}

// Verify implements [Verifier]. It returns [ErrSignatureMissing] when a header is
// missing, [ErrTimestampInvalid] when the timestamp is not a count of Unix
// seconds, [ErrSignatureInvalid] when no signature is valid, and
// [ErrTimestampTooOld] or [ErrTimestampTooNew] when a valid signature carries a
// timestamp outside the tolerance.
func (w *StandardWebhooks) Verify(r *http.Request, body []byte) error {
	keys, err := w.keys()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNotConfigured, err)
	}
	if len(keys) == 0 {
		return ErrNotConfigured
	}

	id := r.Header.Get(HeaderWebhookID)
	tsText := r.Header.Get(HeaderWebhookTimestamp)
	sigs := strings.Join(r.Header.Values(HeaderWebhookSignature), " ")
	switch {
	case id == "":
		return fmt.Errorf("%w: no %s", ErrSignatureMissing, HeaderWebhookID)
	case tsText == "":
		return fmt.Errorf("%w: no %s", ErrSignatureMissing, HeaderWebhookTimestamp)
	case strings.Trim(sigs, " ") == "":
		return fmt.Errorf("%w: no %s", ErrSignatureMissing, HeaderWebhookSignature)
	}
	ts, ok := parseUnixSeconds(tsText)
	if !ok {
		return ErrTimestampInvalid
	}

	expected := make([][]byte, len(keys))
	for i, k := range keys {
		expected[i] = []byte(signV1(k, id, tsText, body))
	}
	valid := false
	for entry := range strings.SplitSeq(sigs, " ") {
		version, sig, ok := strings.Cut(entry, ",")
		if !ok || version != "v1" {
			continue
		}
		for _, e := range expected {
			if hmac.Equal([]byte(sig), e) {
				valid = true
			}
		}
	}
	if !valid {
		return ErrSignatureInvalid
	}

	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	tol := w.Tolerance
	if tol <= 0 {
		tol = DefaultTolerance
	}
	sent := time.Unix(ts, 0)
	current := now()
	switch {
	case current.Sub(sent) > tol:
		return fmt.Errorf("%w: sent %s ago, tolerance %s", ErrTimestampTooOld, current.Sub(sent).Truncate(time.Second), tol)
	case sent.Sub(current) > tol:
		return fmt.Errorf("%w: sent %s ahead, tolerance %s", ErrTimestampTooNew, sent.Sub(current).Truncate(time.Second), tol)
	}
	return nil
}

// parseUnixSeconds parses 1 to 18 ASCII digits, so that the value cannot
// overflow int64. Signs, spaces and fractions are refused.
func parseUnixSeconds(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
