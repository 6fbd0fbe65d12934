// This file holds the request verifiers: shared-secret tokens, IP allowlists,
// Standard Webhooks signatures, the combinators All and Any, and the errors
// they return.

package smsgw24

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Verifier decides whether a webhook request really comes from the user's
// gateway. body is the request body already read (capped) by the handler;
// Verify must not read r.Body.
//
// Verify must not retain body, nor any slice of it, once it returns: a
// Handler reuses the buffer for the next request. A verifier that keeps
// part of the body (for a later audit, say) copies it.
//
// Verify returns nil to accept the request. Every error returned by the
// verifiers of this package matches, with errors.Is, exactly one of
// ErrUnauthenticated (answer 401) or ErrForbidden (answer 403).
//
// A verifier that needs no body implements [RequestVerifier] as well, so
// that a [Handler] rejects a request without the credential before it
// reads the body.
type Verifier interface {
	Verify(r *http.Request, body []byte) error
}

// RequestVerifier is a [Verifier] that decides from the request alone, its
// URL, headers and address, without the body. A [Handler] calls
// VerifyRequest before it reads the body, and then does not call Verify:
// a client without the credential costs no more than its headers, however
// large a body it announces. VerifyRequest(r) must decide as Verify(r, body)
// does for every body.
//
// [Token] and [IPAllowlist] are RequestVerifiers, and so are [All] and
// [Any] when every verifier they combine is one. [StandardWebhooks], which
// signs the body, is not.
type RequestVerifier interface {
	Verifier
	VerifyRequest(r *http.Request) error
}

// VerifierFunc adapts an ordinary function to the Verifier interface.
// A nil VerifierFunc rejects every request with ErrNotConfigured.
type VerifierFunc func(r *http.Request, body []byte) error

// Verify calls f(r, body).
func (f VerifierFunc) Verify(r *http.Request, body []byte) error {
	if f == nil {
		return ErrNotConfigured
	}
	return f(r, body)
}

func (f VerifierFunc) checkConfig() error {
	if f == nil {
		return ErrNotConfigured
	}
	return nil
}

// configChecker is implemented by the verifiers of this package that can
// tell, before any request, that they would reject every one: it returns an
// error wrapping ErrNotConfigured then. Handler.Check asks it.
type configChecker interface {
	checkConfig() error
}

// checkVerifierConfig returns the configuration error of v, if v can tell.
func checkVerifierConfig(v Verifier) error {
	if c, ok := v.(configChecker); ok {
		return c.checkConfig()
	}
	return nil
}

// The two classes of verification failure. A handler picks its status code
// with errors.Is:
//
//	switch {
//	case err == nil:
//		// accept
//	case errors.Is(err, smsgw24.ErrUnauthenticated):
//		// 401 Unauthorized
//	default: // errors.Is(err, smsgw24.ErrForbidden)
//		// 403 Forbidden
//	}
var (
	// ErrUnauthenticated is the class of errors for a request that
	// presented no credential at all: ErrNoToken and ErrSignatureMissing.
	// Answer 401 Unauthorized.
	ErrUnauthenticated = errors.New("smsgw24: request not authenticated")

	// ErrForbidden is the class of every other verification error: a
	// credential was presented but is wrong, malformed or stale, the client
	// address is not allowed, or the verifier is not configured (it then
	// fails closed). Answer 403 Forbidden.
	ErrForbidden = errors.New("smsgw24: request forbidden")
)

// verifyError is a sentinel error that belongs to a class (ErrUnauthenticated
// or ErrForbidden), or to another sentinel, through Unwrap.
type verifyError struct {
	msg    string
	parent error
}

func (e *verifyError) Error() string { return e.msg }
func (e *verifyError) Unwrap() error { return e.parent }

// Sentinel errors returned by the verifiers. Each wraps ErrUnauthenticated or
// ErrForbidden as its documentation says. Error texts never contain a secret
// nor any credential taken from the request.
var (
	// ErrNotConfigured reports a verifier that has nothing to check against
	// (no secret, no allowed address, no verifier in All or Any, a
	// malformed secret) and therefore rejects every request. Class:
	// ErrForbidden.
	ErrNotConfigured error = &verifyError{"smsgw24: verifier not configured, rejecting", ErrForbidden}

	// ErrNoToken reports a request carrying no token, neither in the token
	// query parameter nor in an Authorization: Bearer header. Class:
	// ErrUnauthenticated.
	ErrNoToken error = &verifyError{"smsgw24: no token presented", ErrUnauthenticated}

	// ErrBadToken reports a request whose token matches no configured
	// secret. Class: ErrForbidden.
	ErrBadToken error = &verifyError{"smsgw24: token rejected", ErrForbidden}

	// ErrIPNotAllowed reports a request whose client address is not in the
	// allowlist, or cannot be determined (malformed RemoteAddr or
	// X-Forwarded-For). Class: ErrForbidden.
	ErrIPNotAllowed error = &verifyError{"smsgw24: client address not allowed", ErrForbidden}

	// ErrSignatureMissing reports a request lacking one of the
	// webhook-id, webhook-timestamp and webhook-signature headers. Class:
	// ErrUnauthenticated.
	ErrSignatureMissing error = &verifyError{"smsgw24: signature headers missing", ErrUnauthenticated}

	// ErrSignatureInvalid reports a request none of whose signatures is a
	// valid v1 signature of the request under a configured secret. Class:
	// ErrForbidden.
	ErrSignatureInvalid error = &verifyError{"smsgw24: no valid signature", ErrForbidden}

	// ErrTimestampInvalid reports a webhook-timestamp header that is not a
	// decimal count of Unix seconds. Class: ErrForbidden.
	ErrTimestampInvalid error = &verifyError{"smsgw24: webhook timestamp malformed", ErrForbidden}

	// ErrTimestampTooOld reports a correctly signed request whose timestamp
	// lies further in the past than the tolerance (a stale or replayed
	// message). Class: ErrForbidden.
	ErrTimestampTooOld error = &verifyError{"smsgw24: webhook timestamp too old", ErrForbidden}

	// ErrTimestampTooNew reports a correctly signed request whose timestamp
	// lies further in the future than the tolerance. Class: ErrForbidden.
	ErrTimestampTooNew error = &verifyError{"smsgw24: webhook timestamp too new", ErrForbidden}

	// ErrInvalidSecret reports a Standard Webhooks secret that is not
	// "whsec_" followed by standard base64 of at least one byte. It is
	// returned by NewStandardWebhooks and SignStandardWebhook, and wrapped
	// together with ErrNotConfigured by StandardWebhooks.Verify. Class:
	// ErrForbidden.
	ErrInvalidSecret error = &verifyError{"smsgw24: malformed Standard Webhooks secret", ErrForbidden}
)

// ---- Token ----

// tokenVerifier keeps only the SHA-256 digests of its secrets.
type tokenVerifier struct {
	digests [][sha256.Size]byte
}

// Token returns a Verifier that accepts a request carrying one of secrets in
// the token URL query parameter or in an Authorization: Bearer header (scheme
// matched without regard to case, surrounding spaces and tabs ignored).
// Several secrets may be active at once, to rotate them without downtime.
//
// A token parameter matches when its value decodes to a secret, or when the
// value as it stands in the URL is one: a secret holding "+" or "%" may be
// put in the URL escaped, or pasted into it as it is, such as the base64
// secret "a+b/c==" in "?token=a+b/c==", which decodes to "a b/c==". (A
// secret holding "&" or "#" must be escaped, or it ends the value.) Only
// the first 8 token parameters of a URL are compared.
//
// The comparison takes constant time and does not reveal a secret's length:
// the SHA-256 digest of every presented token is compared with the digest of
// every configured secret, without stopping at the first match.
//
// Empty secrets are ignored. With no non-empty secret the verifier fails
// closed: it rejects every request with ErrNotConfigured.
//
// It returns ErrNoToken when the request carries no token and ErrBadToken
// when none of the tokens it carries matches. The Verifier it returns is a
// [RequestVerifier].
func Token(secrets ...string) Verifier {
	v := &tokenVerifier{}
	for _, s := range secrets {
		if s != "" {
			v.digests = append(v.digests, sha256.Sum256([]byte(s)))
		}
	}
	return v
}

// Verify implements Verifier; the body is not used.
func (v *tokenVerifier) Verify(r *http.Request, _ []byte) error {
	return v.VerifyRequest(r)
}

func (v *tokenVerifier) checkConfig() error {
	if len(v.digests) == 0 {
		return fmt.Errorf("%w: Token has no secret", ErrNotConfigured)
	}
	return nil
}

// VerifyRequest implements RequestVerifier.
func (v *tokenVerifier) VerifyRequest(r *http.Request) error {
	if len(v.digests) == 0 {
		return ErrNotConfigured
	}
	presented, match := 0, 0
	check := func(t string) {
		presented++
		d := sha256.Sum256([]byte(t))
		for i := range v.digests {
			match |= subtle.ConstantTimeCompare(d[:], v.digests[i][:])
		}
	}
	if r.URL != nil {
		// The query is read pair by pair, as url.ParseQuery splits it, but
		// in place: each value counts both as it stands and decoded. Past
		// maxQueryTokens token parameters the rest are not hashed: a URL
		// full of them costs no more than a few.
		for q, tokens := r.URL.RawQuery, 0; q != "" && tokens < maxQueryTokens; {
			var pair string
			pair, q, _ = strings.Cut(q, "&")
			name, value, _ := strings.Cut(pair, "=")
			if name != "token" && !(strings.ContainsAny(name, "%+") && unescapeQuery(name) == "token") {
				continue
			}
			if value == "" {
				continue
			}
			tokens++
			check(value)
			if strings.ContainsAny(value, "%+") {
				if d := unescapeQuery(value); d != "" && d != value {
					check(d)
				}
			}
		}
	}
	for _, h := range r.Header.Values("Authorization") {
		if t, ok := bearerToken(h); ok {
			check(t)
		}
	}
	if presented == 0 {
		return ErrNoToken
	}
	if match != 1 {
		return ErrBadToken
	}
	return nil
}

// maxQueryTokens is how many token query parameters Token compares; the
// gateway sends one.
const maxQueryTokens = 8

// unescapeQuery decodes a query name or value as url.ParseQuery does; it
// returns "" for one that does not decode.
func unescapeQuery(s string) string {
	d, err := url.QueryUnescape(s)
	if err != nil {
		return ""
	}
	return d
}

// bearerToken returns the non-empty token of an Authorization header value
// using the Bearer scheme.
func bearerToken(h string) (string, bool) {
	const scheme = "bearer"
	h = strings.Trim(h, " \t")
	if len(h) <= len(scheme) || !strings.EqualFold(h[:len(scheme)], scheme) {
		return "", false
	}
	if c := h[len(scheme)]; c != ' ' && c != '\t' {
		return "", false
	}
	t := strings.Trim(h[len(scheme):], " \t")
	return t, t != ""
}

// ---- IP allowlist ----

// IPAllowlist is a Verifier that accepts a request only when its client
// address lies in one of the Allow prefixes.
//
// The client address is taken from r.RemoteAddr. Only when RemoteAddr lies in
// one of TrustedProxies is the X-Forwarded-For header consulted: its entries
// (all X-Forwarded-For headers, in order) are walked from right to left,
// skipping addresses in TrustedProxies, and the first other address is the
// client. When every entry is a trusted proxy the leftmost one is the client;
// when there is no entry the client is RemoteAddr itself. Entries may carry a
// port ("192.0.2.1:8080", "[2001:db8::1]:8080"). A header with any entry that
// is not an IP address is rejected. IPv4-mapped IPv6 addresses are compared
// as IPv4, and zones are ignored.
//
// The zero value allows nothing and rejects every request with
// ErrNotConfigured. Use ParsePrefixes to build the prefix lists from text.
// An *IPAllowlist is a [RequestVerifier].
type IPAllowlist struct {
	// Allow lists the client addresses that are accepted.
	Allow []netip.Prefix
	// TrustedProxies lists the reverse proxies whose X-Forwarded-For
	// header is believed. Leave it empty when nothing stands between the
	// gateway and the server.
	TrustedProxies []netip.Prefix
}

// ParsePrefixes parses IP addresses ("203.0.113.7", "2001:db8::1") and CIDR
// prefixes ("198.51.100.0/24") into prefixes for IPAllowlist; a single address
// becomes a prefix holding just that address. Surrounding spaces are ignored.
// IPv4-mapped IPv6 addresses and prefixes are turned into IPv4 ones.
func ParsePrefixes(addrs ...string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(addrs))
	for _, s := range addrs {
		s = strings.TrimSpace(s)
		var p netip.Prefix
		if strings.Contains(s, "/") {
			var err error
			if p, err = netip.ParsePrefix(s); err != nil {
				return nil, fmt.Errorf("smsgw24: invalid CIDR prefix %q", s)
			}
		} else {
			a, err := netip.ParseAddr(s)
			if err != nil || a.Zone() != "" {
				return nil, fmt.Errorf("smsgw24: invalid IP address %q", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if a := p.Addr(); a.Is4In6() {
			if p.Bits() < 96 {
				return nil, fmt.Errorf("smsgw24: IPv4-mapped prefix %q is shorter than /96", s)
			}
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// Verify implements Verifier; the body is not used. It returns
// ErrIPNotAllowed, possibly wrapped with the reason, when the client is not
// allowed or cannot be determined.
func (l *IPAllowlist) Verify(r *http.Request, _ []byte) error {
	return l.VerifyRequest(r)
}

func (l *IPAllowlist) checkConfig() error {
	if l == nil || len(l.Allow) == 0 {
		return fmt.Errorf("%w: IPAllowlist allows no address", ErrNotConfigured)
	}
	return nil
}

// VerifyRequest implements RequestVerifier, as Verify.
func (l *IPAllowlist) VerifyRequest(r *http.Request) error {
	if l == nil || len(l.Allow) == 0 {
		return ErrNotConfigured
	}
	client, err := l.ClientAddr(r)
	if err != nil {
		return err
	}
	if !containsAddr(l.Allow, client) {
		return fmt.Errorf("%w: %s", ErrIPNotAllowed, client)
	}
	return nil
}

// ClientAddr returns the client address of r as Verify determines it. The
// error wraps ErrIPNotAllowed.
func (l *IPAllowlist) ClientAddr(r *http.Request) (netip.Addr, error) {
	remote, ok := parseHostAddr(r.RemoteAddr)
	if !ok {
		return netip.Addr{}, fmt.Errorf("%w: malformed remote address", ErrIPNotAllowed)
	}
	if !containsAddr(l.TrustedProxies, remote) {
		return remote, nil
	}
	var hops []netip.Addr
	for _, h := range r.Header.Values("X-Forwarded-For") {
		for entry := range strings.SplitSeq(h, ",") {
			a, ok := parseHostAddr(strings.Trim(entry, " \t"))
			if !ok {
				return netip.Addr{}, fmt.Errorf("%w: malformed X-Forwarded-For", ErrIPNotAllowed)
			}
			hops = append(hops, a)
		}
	}
	if len(hops) == 0 {
		return remote, nil
	}
	for i := len(hops) - 1; i >= 0; i-- {
		if !containsAddr(l.TrustedProxies, hops[i]) {
			return hops[i], nil
		}
	}
	return hops[0], nil
}

// parseHostAddr parses an IP address with or without a port, dropping any zone
// and unmapping IPv4-mapped IPv6 addresses.
func parseHostAddr(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.WithZone("").Unmap(), true
}

func containsAddr(prefixes []netip.Prefix, a netip.Addr) bool {
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ---- Standard Webhooks ----

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
	// current time, in either direction, when StandardWebhooks.Tolerance is
	// zero.
	DefaultTolerance = 5 * time.Minute
)

// StandardWebhooks is a Verifier for the Standard Webhooks signature scheme
// (https://www.standardwebhooks.com): the webhook-signature header lists
// space-separated signatures "v1,<base64 HMAC-SHA256>" of
// id + "." + timestamp + "." + body under the key of a secret. A request is
// accepted when any listed v1 signature is valid under any of Secrets (to
// rotate secrets, list the old and the new one); signatures of other versions
// and malformed entries are skipped. The signature is checked first, then the
// timestamp against Tolerance.
//
// The zero value has no secret and rejects every request with
// ErrNotConfigured. The struct must not be changed while Verify may run.
type StandardWebhooks struct {
	// Secrets are the accepted secrets, each "whsec_" followed by standard
	// base64 of the key (the prefix may be left out). Empty strings are
	// ignored; a malformed one makes Verify reject every request.
	Secrets []string
	// Tolerance is how far the webhook-timestamp may lie in the past or in
	// the future of Now. Zero or negative means DefaultTolerance.
	Tolerance time.Duration
	// Now returns the current time. Nil means time.Now.
	Now func() time.Time
}

// NewStandardWebhooks returns a StandardWebhooks verifier for secrets with
// the default tolerance and clock. It returns an error wrapping
// ErrInvalidSecret when a secret is malformed, and ErrNotConfigured when no
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
// timestamp ts (in whole Unix seconds) under secret, as StandardWebhooks
// verifies it. It returns ErrInvalidSecret when secret is malformed or empty.
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

// Verify implements Verifier. It returns ErrSignatureMissing when a header is
// missing, ErrTimestampInvalid when the timestamp is not a count of Unix
// seconds, ErrSignatureInvalid when no signature is valid, and
// ErrTimestampTooOld or ErrTimestampTooNew when a valid signature carries a
// timestamp outside the tolerance.
func (w *StandardWebhooks) Verify(r *http.Request, body []byte) error {
	keys, err := decodeSecrets(w.Secrets)
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

// ---- Combinators ----

// All returns a Verifier that accepts a request only when every one of
// verifiers accepts it. They run in order and the first error is returned, so
// list cheap checks (IPAllowlist) before costly ones. With no verifier, or a
// nil one, it rejects every request with ErrNotConfigured. When every one
// of verifiers is a [RequestVerifier], so is the Verifier All returns.
func All(verifiers ...Verifier) Verifier {
	vs := allVerifier(append([]Verifier(nil), verifiers...))
	if allRequestVerifiers(vs) {
		return allRequestVerifier{vs}
	}
	return vs
}

// Any returns a Verifier that accepts a request when at least one of
// verifiers accepts it; they run in order until one does. When all reject it,
// the error returned is the first one of class ErrForbidden if there is one
// (some credential was presented but rejected), otherwise the first error.
// With no verifier, or a nil one, it rejects every request with
// ErrNotConfigured. When every one of verifiers is a [RequestVerifier], so
// is the Verifier Any returns.
func Any(verifiers ...Verifier) Verifier {
	vs := anyVerifier(append([]Verifier(nil), verifiers...))
	if allRequestVerifiers(vs) {
		return anyRequestVerifier{vs}
	}
	return vs
}

// allRequestVerifiers reports whether every one of vs decides without the
// body. A single one that needs it makes the combination need it.
func allRequestVerifiers(vs []Verifier) bool {
	for _, v := range vs {
		if _, ok := v.(RequestVerifier); !ok {
			return false
		}
	}
	return true
}

// allVerifier is All of verifiers, one of which may need the body;
// allRequestVerifier is All of RequestVerifiers.
type allVerifier []Verifier

type allRequestVerifier struct{ allVerifier }

func (vs allVerifier) Verify(r *http.Request, body []byte) error {
	return verifyAll(vs, func(v Verifier) error { return v.Verify(r, body) })
}

func (a allRequestVerifier) VerifyRequest(r *http.Request) error {
	return verifyAll(a.allVerifier, func(v Verifier) error { return v.(RequestVerifier).VerifyRequest(r) })
}

func (vs allVerifier) checkConfig() error { return checkCombinedConfig(vs) }

func verifyAll(vs []Verifier, verify func(Verifier) error) error {
	if len(vs) == 0 {
		return ErrNotConfigured
	}
	for _, v := range vs {
		if v == nil {
			return ErrNotConfigured
		}
		if err := verify(v); err != nil {
			return err
		}
	}
	return nil
}

// anyVerifier is Any of verifiers, one of which may need the body;
// anyRequestVerifier is Any of RequestVerifiers.
type anyVerifier []Verifier

type anyRequestVerifier struct{ anyVerifier }

func (vs anyVerifier) Verify(r *http.Request, body []byte) error {
	return verifyAny(vs, func(v Verifier) error { return v.Verify(r, body) })
}

func (a anyRequestVerifier) VerifyRequest(r *http.Request) error {
	return verifyAny(a.anyVerifier, func(v Verifier) error { return v.(RequestVerifier).VerifyRequest(r) })
}

func (vs anyVerifier) checkConfig() error { return checkCombinedConfig(vs) }

func verifyAny(vs []Verifier, verify func(Verifier) error) error {
	if len(vs) == 0 {
		return ErrNotConfigured
	}
	for _, v := range vs {
		if v == nil {
			return ErrNotConfigured
		}
	}
	var first, forbidden error
	for _, v := range vs {
		err := verify(v)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
		if forbidden == nil && errors.Is(err, ErrForbidden) {
			forbidden = err
		}
	}
	if forbidden != nil {
		return forbidden
	}
	return first
}

// checkCombinedConfig reports the configuration errors of All or Any of vs:
// an empty list, a nil verifier, or one that rejects every request. Any
// still accepts through the others then, but a secret left empty is a
// mistake in both.
func checkCombinedConfig(vs []Verifier) error {
	if len(vs) == 0 {
		return fmt.Errorf("%w: no verifier to combine", ErrNotConfigured)
	}
	var errs []error
	for _, v := range vs {
		if v == nil {
			return fmt.Errorf("%w: a nil verifier among those combined", ErrNotConfigured)
		}
		if err := checkVerifierConfig(v); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
