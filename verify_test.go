// verify_test.go tests the request verifiers: Token, IPAllowlist,
// StandardWebhooks, All and Any.

package smsgw24_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24"
)

// The test vector published by the Standard Webhooks project.
const (
	vecSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vecID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vecTimestamp = int64(1614265330)
	vecPayload   = `{"test": 2432232314}`
	vecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

// otherSecret is a second valid secret (key bytes "another-secret-key-0123").
var otherSecret = "whsec_" + base64.StdEncoding.EncodeToString([]byte("another-secret-key-0123"))

func newRequest(target string, header map[string][]string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader("ignored"))
	for k, vs := range header {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	return r
}

// requireClass checks that err is want and belongs to exactly one class.
func requireClass(t *testing.T, err, want error, unauthenticated bool) {
	t.Helper()
	require.ErrorIs(t, err, want)
	assert.Equal(t, unauthenticated, errors.Is(err, smsgw24.ErrUnauthenticated), "ErrUnauthenticated")
	assert.Equal(t, !unauthenticated, errors.Is(err, smsgw24.ErrForbidden), "ErrForbidden")
}

func TestSentinelClasses(t *testing.T) {
	t.Parallel()
	unauth := []error{smsgw24.ErrNoToken, smsgw24.ErrSignatureMissing}
	forbidden := []error{
		smsgw24.ErrNotConfigured, smsgw24.ErrBadToken, smsgw24.ErrIPNotAllowed,
		smsgw24.ErrSignatureInvalid, smsgw24.ErrTimestampInvalid,
		smsgw24.ErrTimestampTooOld, smsgw24.ErrTimestampTooNew, smsgw24.ErrInvalidSecret,
	}
	for _, e := range unauth {
		requireClass(t, e, e, true)
	}
	for _, e := range forbidden {
		requireClass(t, e, e, false)
	}
	assert.Equal(t, "smsgw24: no token presented", smsgw24.ErrNoToken.Error())
	assert.Equal(t, "smsgw24: token rejected", smsgw24.ErrBadToken.Error())
}

func TestVerifierFunc(t *testing.T) {
	t.Parallel()
	r := newRequest("/hook", nil)
	var got []byte
	f := smsgw24.VerifierFunc(func(_ *http.Request, body []byte) error {
		got = body
		return nil
	})
	require.NoError(t, f.Verify(r, []byte("abc")))
	assert.Equal(t, []byte("abc"), got)

	var nilFunc smsgw24.VerifierFunc
	requireClass(t, nilFunc.Verify(r, nil), smsgw24.ErrNotConfigured, false)
}

func TestToken(t *testing.T) {
	t.Parallel()
	const (
		oldSecret = "old-secret-4f1c"
		newSecret = "new-secret-9a7e"
	)
	v := smsgw24.Token("", oldSecret, newSecret)

	tests := []struct {
		name   string
		target string
		header map[string][]string
		want   error // nil: accepted
	}{
		{name: "query new", target: "/hook?token=" + newSecret},
		{name: "query old", target: "/hook?token=" + oldSecret},
		{name: "bearer", target: "/hook", header: map[string][]string{"Authorization": {"Bearer " + newSecret}}},
		{name: "bearer lower case", target: "/hook", header: map[string][]string{"Authorization": {"bearer " + oldSecret}}},
		{name: "bearer extra spaces", target: "/hook", header: map[string][]string{"Authorization": {"Bearer  \t" + oldSecret + " "}}},
		{name: "query escaped", target: "/hook?token=" + url.QueryEscape(newSecret) + "&x=1"},
		{name: "one of several query tokens", target: "/hook?token=nope&token=" + newSecret},
		{name: "wrong query, right bearer", target: "/hook?token=nope", header: map[string][]string{"Authorization": {"Bearer " + newSecret}}},
		{name: "nothing", target: "/hook", want: smsgw24.ErrNoToken},
		{name: "empty query token", target: "/hook?token=", want: smsgw24.ErrNoToken},
		{name: "other query parameter", target: "/hook?tok=" + newSecret, want: smsgw24.ErrNoToken},
		{name: "basic auth ignored", target: "/hook", header: map[string][]string{"Authorization": {"Basic " + newSecret}}, want: smsgw24.ErrNoToken},
		{name: "bearer without token", target: "/hook", header: map[string][]string{"Authorization": {"Bearer "}}, want: smsgw24.ErrNoToken},
		{name: "scheme glued to token", target: "/hook", header: map[string][]string{"Authorization": {"Bearer" + newSecret}}, want: smsgw24.ErrNoToken},
		{name: "wrong query", target: "/hook?token=wrong-secret", want: smsgw24.ErrBadToken},
		{name: "wrong bearer", target: "/hook", header: map[string][]string{"Authorization": {"Bearer wrong-secret"}}, want: smsgw24.ErrBadToken},
		{name: "prefix of secret", target: "/hook?token=" + newSecret[:len(newSecret)-1], want: smsgw24.ErrBadToken},
		{name: "secret plus suffix", target: "/hook?token=" + newSecret + "x", want: smsgw24.ErrBadToken},
		{name: "case differs", target: "/hook?token=" + strings.ToUpper(newSecret), want: smsgw24.ErrBadToken},
		{name: "token in form body ignored", target: "/hook", want: smsgw24.ErrNoToken},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRequest(tc.target, tc.header)
			err := v.Verify(r, []byte("token="+newSecret))
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			requireClass(t, err, tc.want, tc.want == smsgw24.ErrNoToken)
			assert.Equal(t, tc.want.Error(), err.Error())
			assert.NotContains(t, err.Error(), oldSecret)
			assert.NotContains(t, err.Error(), newSecret)
			assert.NotContains(t, err.Error(), "wrong-secret")
		})
	}
}

// TestTokenPastedVerbatim: a secret holding "+" or "%", pasted into the
// webhook URL as it is, matches; so does the same secret escaped. A
// decoded value that is not the secret, and the raw text of one that only
// decodes to it, do not match another secret.
func TestTokenPastedVerbatim(t *testing.T) {
	t.Parallel()
	const (
		base64Secret  = "q0Nf+7Zr/Hk9+Wt2==" // as openssl rand -base64 writes them
		percentSecret = "50%off-%zz-%41"     // "%zz" does not decode; "%41" decodes to "A"
		plainSecret   = "plain-secret-8c1d"  // no character that escapes
	)
	v := smsgw24.Token(base64Secret, percentSecret, plainSecret)
	tests := []struct {
		query string
		want  error
	}{
		{"token=" + base64Secret, nil},
		{"token=" + url.QueryEscape(base64Secret), nil},
		{"token=" + percentSecret, nil},
		{"token=" + url.QueryEscape(percentSecret), nil},
		{"tok%65n=" + base64Secret, nil},
		{"a=1&token=" + base64Secret + "&b=%zz", nil},
		{"token=" + plainSecret, nil},
		{"token=q0Nf 7Zr/Hk9 Wt2==", smsgw24.ErrBadToken},
		{"token=q0Nf%207Zr/Hk9%20Wt2==", smsgw24.ErrBadToken},
		{"token=50%25off-%25zz-A", smsgw24.ErrBadToken},
		{"token=" + url.QueryEscape(plainSecret+"+"), smsgw24.ErrBadToken},
		{"token=%zz", smsgw24.ErrBadToken},
		{"token=q0Nf%2B7Zr/Hk9+Wt2==", smsgw24.ErrBadToken}, // half escaped: neither as it stands nor decoded
		{strings.Repeat("token=guess&", 7) + "token=" + plainSecret, nil},
		{strings.Repeat("token=guess&", 8) + "token=" + plainSecret, smsgw24.ErrBadToken}, // only the first 8 are compared
	}
	for _, tc := range tests {
		r := newRequest("/hook", nil)
		r.URL.RawQuery = tc.query
		err := v.Verify(r, nil)
		if tc.want == nil {
			assert.NoError(t, err, tc.query)
			continue
		}
		assert.Equal(t, tc.want, err, tc.query)
	}
}

// TestRequestVerifiers: Token and IPAllowlist decide without the body,
// and All and Any of them do; a combination holding a verifier that needs
// the body does not claim to.
func TestRequestVerifiers(t *testing.T) {
	t.Parallel()
	allow := &smsgw24.IPAllowlist{Allow: mustPrefixes(t, "203.0.113.7")}
	token := smsgw24.Token("rv-secret")
	sw := &smsgw24.StandardWebhooks{Secrets: []string{vecSecret}}
	fn := smsgw24.VerifierFunc(func(*http.Request, []byte) error { return nil })
	tests := []struct {
		name string
		v    smsgw24.Verifier
		want bool
	}{
		{"Token", token, true},
		{"IPAllowlist", allow, true},
		{"All(IPAllowlist, Token)", smsgw24.All(allow, token), true},
		{"Any(Token, IPAllowlist)", smsgw24.Any(token, allow), true},
		{"All(All(IPAllowlist), Any(Token))", smsgw24.All(smsgw24.All(allow), smsgw24.Any(token)), true},
		{"StandardWebhooks", sw, false},
		{"VerifierFunc", fn, false},
		{"All(Token, StandardWebhooks)", smsgw24.All(token, sw), false},
		{"Any(Token, StandardWebhooks)", smsgw24.Any(token, sw), false},
		{"All(Token, VerifierFunc)", smsgw24.All(token, fn), false},
		{"All(Token, nil)", smsgw24.All(token, nil), false},
	}
	for _, tc := range tests {
		_, ok := tc.v.(smsgw24.RequestVerifier)
		assert.Equal(t, tc.want, ok, tc.name)
	}

	// VerifyRequest decides as Verify does.
	r := newRequest("/hook?token=rv-secret", nil)
	r.RemoteAddr = "203.0.113.7:1234"
	both := smsgw24.All(allow, token).(smsgw24.RequestVerifier)
	require.NoError(t, both.VerifyRequest(r))
	require.NoError(t, both.Verify(r, nil))
	r.RemoteAddr = "203.0.113.8:1234"
	requireClass(t, both.VerifyRequest(r), smsgw24.ErrIPNotAllowed, false)
	either := smsgw24.Any(allow, token).(smsgw24.RequestVerifier)
	require.NoError(t, either.VerifyRequest(r))
	r = newRequest("/hook?token=guess", nil)
	r.RemoteAddr = "203.0.113.8:1234"
	requireClass(t, either.VerifyRequest(r), smsgw24.ErrIPNotAllowed, false)
	requireClass(t, smsgw24.All().(smsgw24.RequestVerifier).VerifyRequest(r), smsgw24.ErrNotConfigured, false)
}

func TestTokenFailsClosed(t *testing.T) {
	t.Parallel()
	for name, v := range map[string]smsgw24.Verifier{
		"no secrets":    smsgw24.Token(),
		"empty secrets": smsgw24.Token("", ""),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, target := range []string{"/hook", "/hook?token=", "/hook?token=x"} {
				err := v.Verify(newRequest(target, map[string][]string{"Authorization": {"Bearer "}}), nil)
				requireClass(t, err, smsgw24.ErrNotConfigured, false)
			}
		})
	}
}

func mustPrefixes(t *testing.T, s ...string) []netip.Prefix {
	t.Helper()
	p, err := smsgw24.ParsePrefixes(s...)
	require.NoError(t, err)
	return p
}

func TestParsePrefixes(t *testing.T) {
	t.Parallel()
	got, err := smsgw24.ParsePrefixes("203.0.113.7", " 198.51.100.0/24 ", "2001:db8::1", "2001:db8:1::/48",
		"::ffff:192.0.2.9", "::ffff:192.0.2.0/120", "10.1.2.3/8")
	require.NoError(t, err)
	assert.Equal(t, []netip.Prefix{
		netip.MustParsePrefix("203.0.113.7/32"),
		netip.MustParsePrefix("198.51.100.0/24"),
		netip.MustParsePrefix("2001:db8::1/128"),
		netip.MustParsePrefix("2001:db8:1::/48"),
		netip.MustParsePrefix("192.0.2.9/32"),
		netip.MustParsePrefix("192.0.2.0/24"),
		netip.MustParsePrefix("10.0.0.0/8"),
	}, got)

	for _, bad := range []string{"", "example.com", "1.2.3.4/33", "1.2.3", "fe80::1%eth0", "::ffff:0.0.0.0/64", "1.2.3.4:80"} {
		_, err := smsgw24.ParsePrefixes("192.0.2.1", bad)
		assert.Error(t, err, "%q", bad)
	}
}

func TestIPAllowlist(t *testing.T) {
	t.Parallel()
	l := &smsgw24.IPAllowlist{
		Allow:          mustPrefixes(t, "203.0.113.7", "198.51.100.0/24", "2001:db8:1::/48"),
		TrustedProxies: mustPrefixes(t, "10.0.0.0/8", "192.0.2.1"),
	}
	tests := []struct {
		name       string
		remote     string
		xff        []string
		wantClient string // "" when ClientAddr fails
		allowed    bool
	}{
		{name: "single ip", remote: "203.0.113.7:5555", wantClient: "203.0.113.7", allowed: true},
		{name: "in cidr", remote: "198.51.100.200:1", wantClient: "198.51.100.200", allowed: true},
		{name: "ipv6 in cidr", remote: "[2001:db8:1::42]:443", wantClient: "2001:db8:1::42", allowed: true},
		{name: "ipv4-mapped", remote: "[::ffff:203.0.113.7]:5555", wantClient: "203.0.113.7", allowed: true},
		{name: "no port", remote: "203.0.113.7", wantClient: "203.0.113.7", allowed: true},
		{name: "not allowed", remote: "203.0.113.8:5555", wantClient: "203.0.113.8"},
		{name: "ipv6 not allowed", remote: "[2001:db8:2::1]:443", wantClient: "2001:db8:2::1"},
		{name: "xff ignored from untrusted remote", remote: "203.0.113.99:1", xff: []string{"203.0.113.7"}, wantClient: "203.0.113.99"},
		{name: "xff ignored, remote allowed", remote: "203.0.113.7:1", xff: []string{"garbage"}, wantClient: "203.0.113.7", allowed: true},
		{name: "trusted proxy", remote: "10.0.0.5:80", xff: []string{"203.0.113.7"}, wantClient: "203.0.113.7", allowed: true},
		{name: "trusted proxy, client not allowed", remote: "10.0.0.5:80", xff: []string{"203.0.113.66"}, wantClient: "203.0.113.66"},
		{name: "spoofed left entry", remote: "10.0.0.5:80", xff: []string{"203.0.113.7, 203.0.113.66"}, wantClient: "203.0.113.66"},
		{name: "proxy chain", remote: "10.0.0.5:80", xff: []string{"1.1.1.1, 203.0.113.7, 192.0.2.1, 10.9.9.9"}, wantClient: "203.0.113.7", allowed: true},
		{name: "several headers", remote: "10.0.0.5:80", xff: []string{"1.1.1.1, 203.0.113.7", "10.2.2.2"}, wantClient: "203.0.113.7", allowed: true},
		{name: "entry with port", remote: "10.0.0.5:80", xff: []string{"203.0.113.7:4711"}, wantClient: "203.0.113.7", allowed: true},
		{name: "ipv6 entry with port", remote: "10.0.0.5:80", xff: []string{"[2001:db8:1::9]:4711"}, wantClient: "2001:db8:1::9", allowed: true},
		{name: "all trusted, leftmost", remote: "10.0.0.5:80", xff: []string{"10.1.1.1, 10.2.2.2"}, wantClient: "10.1.1.1"},
		{name: "trusted proxy without xff", remote: "10.0.0.5:80", wantClient: "10.0.0.5"},
		{name: "malformed xff", remote: "10.0.0.5:80", xff: []string{"203.0.113.7, unknown"}},
		{name: "malformed left xff entry", remote: "10.0.0.5:80", xff: []string{"bogus, 203.0.113.7"}},
		{name: "empty xff entry", remote: "10.0.0.5:80", xff: []string{"203.0.113.7,,"}},
		{name: "empty xff header", remote: "10.0.0.5:80", xff: []string{""}},
		{name: "malformed remote", remote: "not-an-ip"},
		{name: "empty remote", remote: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRequest("/hook", map[string][]string{"X-Forwarded-For": tc.xff})
			r.RemoteAddr = tc.remote

			client, cerr := l.ClientAddr(r)
			err := l.Verify(r, nil)
			if tc.wantClient == "" {
				requireClass(t, cerr, smsgw24.ErrIPNotAllowed, false)
				requireClass(t, err, smsgw24.ErrIPNotAllowed, false)
				assert.NotContains(t, err.Error(), "bogus")
				assert.NotContains(t, err.Error(), "unknown")
				return
			}
			require.NoError(t, cerr)
			assert.Equal(t, netip.MustParseAddr(tc.wantClient), client)
			if tc.allowed {
				require.NoError(t, err)
				return
			}
			requireClass(t, err, smsgw24.ErrIPNotAllowed, false)
			assert.Equal(t, "smsgw24: client address not allowed: "+tc.wantClient, err.Error())
		})
	}
}

func TestIPAllowlistZeroValue(t *testing.T) {
	t.Parallel()
	r := newRequest("/hook", nil)
	requireClass(t, (&smsgw24.IPAllowlist{}).Verify(r, nil), smsgw24.ErrNotConfigured, false)
	only := &smsgw24.IPAllowlist{TrustedProxies: mustPrefixes(t, "0.0.0.0/0")}
	requireClass(t, only.Verify(r, nil), smsgw24.ErrNotConfigured, false)
}

// refSign computes a Standard Webhooks v1 signature independently of the
// package.
func refSign(t testing.TB, secret, id, ts, body string) string {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	require.NoError(t, err)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + ts + "." + body))
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func TestStandardWebhooksVector(t *testing.T) {
	t.Parallel()
	ts := strconv.FormatInt(vecTimestamp, 10)
	assert.Equal(t, vecSignature, refSign(t, vecSecret, vecID, ts, vecPayload))

	got, err := smsgw24.SignStandardWebhook(vecSecret, vecID, time.Unix(vecTimestamp, 0), []byte(vecPayload))
	require.NoError(t, err)
	assert.Equal(t, vecSignature, got)

	// Sub-second parts of the time are dropped; the secret prefix is optional.
	got, err = smsgw24.SignStandardWebhook(strings.TrimPrefix(vecSecret, "whsec_"), vecID,
		time.Unix(vecTimestamp, 999_999_999), []byte(vecPayload))
	require.NoError(t, err)
	assert.Equal(t, vecSignature, got)
}

func TestSignStandardWebhookBadSecret(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "whsec_", "whsec_not base64!", "whsec_abc"} {
		sig, err := smsgw24.SignStandardWebhook(s, vecID, time.Unix(vecTimestamp, 0), nil)
		require.ErrorIs(t, err, smsgw24.ErrInvalidSecret, "%q", s)
		assert.Empty(t, sig)
	}
}

func TestNewStandardWebhooks(t *testing.T) {
	t.Parallel()
	w, err := smsgw24.NewStandardWebhooks(vecSecret, "", otherSecret)
	require.NoError(t, err)
	assert.Equal(t, []string{vecSecret, "", otherSecret}, w.Secrets)
	assert.Zero(t, w.Tolerance)
	assert.Nil(t, w.Now)

	_, err = smsgw24.NewStandardWebhooks(vecSecret, "whsec_%%%secretpart")
	require.ErrorIs(t, err, smsgw24.ErrInvalidSecret)
	assert.Equal(t, "smsgw24: malformed Standard Webhooks secret (secret #1)", err.Error())

	_, err = smsgw24.NewStandardWebhooks()
	require.ErrorIs(t, err, smsgw24.ErrNotConfigured)
	_, err = smsgw24.NewStandardWebhooks("")
	require.ErrorIs(t, err, smsgw24.ErrNotConfigured)
}

func TestStandardWebhooks(t *testing.T) {
	t.Parallel()
	at := func(sec int64) func() time.Time {
		return func() time.Time { return time.Unix(sec, 0) }
	}
	ts := strconv.FormatInt(vecTimestamp, 10)
	otherSig := refSign(t, otherSecret, vecID, ts, vecPayload)

	// swCase is one request to a StandardWebhooks verifier.
	type swCase struct {
		name    string
		w       smsgw24.StandardWebhooks
		header  map[string][]string // nil: the vector's headers
		body    string              // "": the vector's payload
		want    error
		wantMsg string
	}
	tests := []swCase{
		{name: "valid", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp)}},
		{name: "valid without prefix", w: smsgw24.StandardWebhooks{Secrets: []string{strings.TrimPrefix(vecSecret, "whsec_")}, Now: at(vecTimestamp)}},
		{name: "valid at edge of past", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp + 300)}},
		{name: "valid at edge of future", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp - 300)}},
		{
			name: "too old", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp + 301)},
			want: smsgw24.ErrTimestampTooOld, wantMsg: "smsgw24: webhook timestamp too old: sent 5m1s ago, tolerance 5m0s",
		},
		{
			name: "too new", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp - 301)},
			want: smsgw24.ErrTimestampTooNew, wantMsg: "smsgw24: webhook timestamp too new: sent 5m1s ahead, tolerance 5m0s",
		},
		{name: "custom tolerance", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Tolerance: time.Hour, Now: at(vecTimestamp + 3600)}},
		{
			name: "custom tolerance exceeded", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Tolerance: 10 * time.Second, Now: at(vecTimestamp + 11)},
			want: smsgw24.ErrTimestampTooOld, wantMsg: "smsgw24: webhook timestamp too old: sent 11s ago, tolerance 10s",
		},
		{
			name: "negative tolerance means default", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Tolerance: -time.Second, Now: at(vecTimestamp + 301)},
			want: smsgw24.ErrTimestampTooOld, wantMsg: "smsgw24: webhook timestamp too old: sent 5m1s ago, tolerance 5m0s",
		},
		{name: "rotation: old secret first", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret, otherSecret}, Now: at(vecTimestamp)}},
		{name: "rotation: new secret first", w: smsgw24.StandardWebhooks{Secrets: []string{otherSecret, vecSecret}, Now: at(vecTimestamp)}},
		{
			name: "rotation: signed with other secret", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret, otherSecret}, Now: at(vecTimestamp)},
			header: map[string][]string{"Webhook-Id": {vecID}, "Webhook-Timestamp": {ts}, "Webhook-Signature": {otherSig}},
		},
		{
			name: "several signatures, valid last", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp)},
			header: map[string][]string{"Webhook-Id": {vecID}, "Webhook-Timestamp": {ts}, "Webhook-Signature": {otherSig + " v1a,abc v1,bm90IHRoaXM= " + vecSignature}},
		},
		{
			name: "several signatures, valid first", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp)},
			header: map[string][]string{"Webhook-Id": {vecID}, "Webhook-Timestamp": {ts}, "Webhook-Signature": {vecSignature + "  " + otherSig}},
		},
		{
			name: "several signature headers", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp)},
			header: map[string][]string{"Webhook-Id": {vecID}, "Webhook-Timestamp": {ts}, "Webhook-Signature": {otherSig, vecSignature}},
		},
		{
			name: "wrong secret", w: smsgw24.StandardWebhooks{Secrets: []string{otherSecret}, Now: at(vecTimestamp)},
			want: smsgw24.ErrSignatureInvalid, wantMsg: "smsgw24: no valid signature",
		},
		{
			name: "tampered body", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp)},
			body: `{"test": 2432232315}`, want: smsgw24.ErrSignatureInvalid, wantMsg: "smsgw24: no valid signature",
		},
		{
			name: "tampered id", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp)},
			header: map[string][]string{"Webhook-Id": {vecID + "x"}, "Webhook-Timestamp": {ts}, "Webhook-Signature": {vecSignature}},
			want:   smsgw24.ErrSignatureInvalid, wantMsg: "smsgw24: no valid signature",
		},
		{
			name: "tampered timestamp", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp)},
			header: map[string][]string{"Webhook-Id": {vecID}, "Webhook-Timestamp": {strconv.FormatInt(vecTimestamp+1, 10)}, "Webhook-Signature": {vecSignature}},
			want:   smsgw24.ErrSignatureInvalid, wantMsg: "smsgw24: no valid signature",
		},
		{
			name: "invalid signature and stale timestamp", w: smsgw24.StandardWebhooks{Secrets: []string{otherSecret}, Now: at(vecTimestamp + 9999)},
			want: smsgw24.ErrSignatureInvalid, wantMsg: "smsgw24: no valid signature",
		},
	}
	for _, bad := range []struct{ name, sig string }{
		{"unknown version only", "v1a," + strings.TrimPrefix(vecSignature, "v1,")},
		{"v2 only", "v2," + strings.TrimPrefix(vecSignature, "v1,")},
		{"no comma", strings.Replace(vecSignature, ",", "", 1)},
		{"not base64", "v1,!!!!"},
		{"truncated", vecSignature[:len(vecSignature)-2]},
		{"unpadded", strings.TrimSuffix(vecSignature, "=")},
		{"upper-case version", "V1," + strings.TrimPrefix(vecSignature, "v1,")},
		{"leading comma", "," + vecSignature},
	} {
		tests = append(tests, swCase{
			name: "malformed signature: " + bad.name, w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp)},
			header: map[string][]string{"Webhook-Id": {vecID}, "Webhook-Timestamp": {ts}, "Webhook-Signature": {bad.sig}},
			want:   smsgw24.ErrSignatureInvalid, wantMsg: "smsgw24: no valid signature",
		})
	}
	for _, bad := range []string{"abc", "1614265330.5", "-1614265330", "+1614265330", " 1614265330", "1e9", "9999999999999999999", "0x60375e32"} {
		tests = append(tests, swCase{
			name: "malformed timestamp " + bad, w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp)},
			header: map[string][]string{"Webhook-Id": {vecID}, "Webhook-Timestamp": {bad}, "Webhook-Signature": {vecSignature}},
			want:   smsgw24.ErrTimestampInvalid, wantMsg: "smsgw24: webhook timestamp malformed",
		})
	}
	for _, missing := range []string{"Webhook-Id", "Webhook-Timestamp", "Webhook-Signature"} {
		h := map[string][]string{"Webhook-Id": {vecID}, "Webhook-Timestamp": {ts}, "Webhook-Signature": {vecSignature}}
		delete(h, missing)
		tests = append(tests, swCase{
			name: "missing " + missing, w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp)},
			header: h, want: smsgw24.ErrSignatureMissing,
			wantMsg: "smsgw24: signature headers missing: no " + strings.ToLower(missing),
		})
	}
	tests = append(tests, []swCase{
		{
			name: "blank signature header", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp)},
			header: map[string][]string{"Webhook-Id": {vecID}, "Webhook-Timestamp": {ts}, "Webhook-Signature": {"  "}},
			want:   smsgw24.ErrSignatureMissing, wantMsg: "smsgw24: signature headers missing: no webhook-signature",
		},
		{
			name: "no headers at all", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: at(vecTimestamp)},
			header: map[string][]string{}, want: smsgw24.ErrSignatureMissing,
			wantMsg: "smsgw24: signature headers missing: no webhook-id",
		},
		{
			name: "zero value", want: smsgw24.ErrNotConfigured,
			wantMsg: "smsgw24: verifier not configured, rejecting",
		},
		{
			name: "only empty secrets", w: smsgw24.StandardWebhooks{Secrets: []string{"", ""}},
			want: smsgw24.ErrNotConfigured, wantMsg: "smsgw24: verifier not configured, rejecting",
		},
		{
			name: "one malformed secret", w: smsgw24.StandardWebhooks{Secrets: []string{vecSecret, "whsec_!!secretpart"}, Now: at(vecTimestamp)},
			want:    smsgw24.ErrInvalidSecret,
			wantMsg: "smsgw24: verifier not configured, rejecting: smsgw24: malformed Standard Webhooks secret (secret #1)",
		},
	}...)

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			header := tc.header
			if header == nil {
				header = map[string][]string{"Webhook-Id": {vecID}, "Webhook-Timestamp": {ts}, "Webhook-Signature": {vecSignature}}
			}
			body := tc.body
			if body == "" {
				body = vecPayload
			}
			err := tc.w.Verify(newRequest("/hook", header), []byte(body))
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			requireClass(t, err, tc.want, tc.want == smsgw24.ErrSignatureMissing)
			assert.Equal(t, tc.wantMsg, err.Error())
			if tc.want == smsgw24.ErrInvalidSecret {
				require.ErrorIs(t, err, smsgw24.ErrNotConfigured)
			}
			for _, secret := range tc.w.Secrets {
				if secret != "" {
					assert.NotContains(t, err.Error(), strings.TrimPrefix(secret, "whsec_"))
				}
			}
			assert.NotContains(t, err.Error(), strings.TrimPrefix(vecSignature, "v1,"))
		})
	}
}

func TestStandardWebhooksDefaultClock(t *testing.T) {
	t.Parallel()
	w, err := smsgw24.NewStandardWebhooks(vecSecret)
	require.NoError(t, err)
	// The vector's timestamp lies years before any clock this test runs on.
	r := newRequest("/hook", map[string][]string{
		"Webhook-Id": {vecID}, "Webhook-Timestamp": {strconv.FormatInt(vecTimestamp, 10)}, "Webhook-Signature": {vecSignature},
	})
	requireClass(t, w.Verify(r, []byte(vecPayload)), smsgw24.ErrTimestampTooOld, false)

	// A message signed just now verifies with the default clock.
	id, now, body := "msg_now", time.Now(), []byte(`{"ok":true}`)
	sig, err := smsgw24.SignStandardWebhook(vecSecret, id, now, body)
	require.NoError(t, err)
	r = newRequest("/hook", map[string][]string{
		"Webhook-Id": {id}, "Webhook-Timestamp": {strconv.FormatInt(now.Unix(), 10)}, "Webhook-Signature": {sig},
	})
	require.NoError(t, w.Verify(r, body))
}

// alwaysErr is a Verifier that records its calls and returns err.
type alwaysErr struct {
	err   error
	calls *int
}

func (a alwaysErr) Verify(*http.Request, []byte) error {
	*a.calls++
	return a.err
}

func TestAllAndAny(t *testing.T) {
	t.Parallel()
	r := newRequest("/hook", nil)
	ok := func(calls *int) smsgw24.Verifier { return alwaysErr{nil, calls} }
	fail := func(err error, calls *int) smsgw24.Verifier { return alwaysErr{err, calls} }

	t.Run("All", func(t *testing.T) {
		t.Parallel()
		var a, b, c int
		require.NoError(t, smsgw24.All(ok(&a), ok(&b)).Verify(r, nil))
		assert.Equal(t, []int{1, 1}, []int{a, b})

		a, b, c = 0, 0, 0
		err := smsgw24.All(ok(&a), fail(smsgw24.ErrBadToken, &b), fail(smsgw24.ErrIPNotAllowed, &c)).Verify(r, nil)
		assert.Same(t, smsgw24.ErrBadToken, err)
		assert.Equal(t, []int{1, 1, 0}, []int{a, b, c})

		requireClass(t, smsgw24.All().Verify(r, nil), smsgw24.ErrNotConfigured, false)
		requireClass(t, smsgw24.All(ok(&a), nil).Verify(r, nil), smsgw24.ErrNotConfigured, false)
	})

	t.Run("All copies its arguments", func(t *testing.T) {
		t.Parallel()
		var a, b int
		vs := []smsgw24.Verifier{ok(&a)}
		all := smsgw24.All(vs...)
		vs[0] = fail(smsgw24.ErrBadToken, &b)
		require.NoError(t, all.Verify(r, nil))
	})

	t.Run("Any", func(t *testing.T) {
		t.Parallel()
		var a, b, c int
		require.NoError(t, smsgw24.Any(fail(smsgw24.ErrNoToken, &a), ok(&b), ok(&c)).Verify(r, nil))
		assert.Equal(t, []int{1, 1, 0}, []int{a, b, c})

		err := smsgw24.Any(fail(smsgw24.ErrNoToken, &a), fail(smsgw24.ErrSignatureMissing, &b)).Verify(r, nil)
		assert.Same(t, smsgw24.ErrNoToken, err)

		err = smsgw24.Any(fail(smsgw24.ErrNoToken, &a), fail(smsgw24.ErrSignatureInvalid, &b), fail(smsgw24.ErrBadToken, &c)).Verify(r, nil)
		assert.Same(t, smsgw24.ErrSignatureInvalid, err)

		requireClass(t, smsgw24.Any().Verify(r, nil), smsgw24.ErrNotConfigured, false)
		requireClass(t, smsgw24.Any(ok(&a), nil).Verify(r, nil), smsgw24.ErrNotConfigured, false)
	})
}

func TestAllCombined(t *testing.T) {
	t.Parallel()
	const secret = "gateway-secret-31c9"
	v := smsgw24.All(
		&smsgw24.IPAllowlist{Allow: mustPrefixes(t, "203.0.113.7")},
		smsgw24.Token(secret),
	)
	r := newRequest("/hook?token="+secret, nil)
	r.RemoteAddr = "203.0.113.7:1234"
	require.NoError(t, v.Verify(r, nil))

	r.RemoteAddr = "203.0.113.8:1234"
	requireClass(t, v.Verify(r, nil), smsgw24.ErrIPNotAllowed, false)

	r = newRequest("/hook", nil)
	r.RemoteAddr = "203.0.113.7:1234"
	requireClass(t, v.Verify(r, nil), smsgw24.ErrNoToken, true)
}

func FuzzToken(f *testing.F) {
	const secret = "fuzz-secret-7d2b0a"
	f.Add(secret, true)
	f.Add(secret, false)
	f.Add(" "+secret+"\t", false)
	f.Add("", true)
	f.Add("fuzz-secret-7d2b0", true)
	f.Add("Bearer "+secret, false)
	v := smsgw24.Token("old-secret", secret)

	f.Fuzz(func(t *testing.T, tok string, inQuery bool) {
		r := newRequest("/hook", nil)
		var accept bool
		if inQuery {
			r.URL.RawQuery = url.Values{"token": {tok}}.Encode()
			accept = tok == secret || tok == "old-secret"
		} else {
			r.Header.Set("Authorization", "Bearer "+tok)
			trimmed := strings.Trim(tok, " \t")
			accept = trimmed == secret || trimmed == "old-secret"
		}
		err := v.Verify(r, nil)
		if accept {
			require.NoError(t, err)
			return
		}
		require.Error(t, err)
		// The error is a bare sentinel, so its text cannot echo the token.
		if !errors.Is(err, smsgw24.ErrNoToken) {
			require.Equal(t, smsgw24.ErrBadToken, err)
		} else {
			require.Equal(t, smsgw24.ErrNoToken, err)
		}
	})
}

func FuzzStandardWebhooks(f *testing.F) {
	ts := strconv.FormatInt(vecTimestamp, 10)
	f.Add(vecID, ts, vecSignature, vecPayload)
	f.Add(vecID, ts, "v1a,x "+vecSignature+" v2,y", vecPayload)
	f.Add(vecID, ts, "v1,", vecPayload)
	f.Add(vecID, "01614265330", vecSignature, vecPayload)
	f.Add("", "", "", "")
	f.Add(vecID, "99999999999999999", "v1,,,, , ,v1", "{}")
	w := &smsgw24.StandardWebhooks{
		Secrets: []string{vecSecret},
		Now:     func() time.Time { return time.Unix(vecTimestamp, 0) },
	}

	f.Fuzz(func(t *testing.T, id, timestamp, sigs, body string) {
		r := newRequest("/hook", nil)
		r.Header["Webhook-Id"] = []string{id}
		r.Header["Webhook-Timestamp"] = []string{timestamp}
		r.Header["Webhook-Signature"] = []string{sigs}
		err := w.Verify(r, []byte(body))
		if err != nil {
			assert.True(t, errors.Is(err, smsgw24.ErrUnauthenticated) != errors.Is(err, smsgw24.ErrForbidden))
			assert.NotContains(t, err.Error(), strings.TrimPrefix(vecSecret, "whsec_"))
			return
		}
		// Accepted: the header must hold the real signature.
		want := refSign(t, vecSecret, id, timestamp, body)
		assert.Contains(t, strings.Split(sigs, " "), want)
	})
}

// FuzzTokenQuery: whatever the query, a request is accepted exactly when
// one of its first 8 token parameters is a secret, decoded as
// url.ParseQuery decodes it (url.QueryUnescape) or as it stands in the
// query (a secret pasted unescaped); and answered ErrNoToken exactly when
// the query has no token parameter that is not empty.
func FuzzTokenQuery(f *testing.F) {
	const (
		secret     = "fuzz-secret-7d2b0a"
		plusSecret = "Zm9v+YmFy/%41=="
	)
	for _, q := range []string{
		"token=" + secret, "token=old", "a=1&token=" + secret + "&b=2", "token=&token=" + secret,
		"tok%65n=" + secret, "token=fuzz%2Dsecret-7d2b0a", "token=" + secret + ";x=1", "token=%zz&token=" + secret,
		"token=a+b", "token", "=token&token==", strings.Repeat("a=1&", 70) + "token=" + secret,
		"token=" + plusSecret, "token=" + url.QueryEscape(plusSecret), "token=Zm9v%2BYmFy/%41==", "tok%65n=" + plusSecret,
		strings.Repeat("token=x&", 7) + "token=" + secret, strings.Repeat("token=x&", 8) + "token=" + secret,
	} {
		f.Add(q)
	}
	v := smsgw24.Token(secret, plusSecret)
	f.Fuzz(func(t *testing.T, rawQuery string) {
		r := newRequest("/hook", nil)
		r.URL.RawQuery = rawQuery
		err := v.Verify(r, nil)

		isSecret := func(tok string) bool { return tok == secret || tok == plusSecret }
		presented, match, tokens := false, false, 0
		for pair := range strings.SplitSeq(rawQuery, "&") {
			name, value, _ := strings.Cut(pair, "=")
			if decoded, err := url.QueryUnescape(name); (name != "token" && (err != nil || decoded != "token")) || value == "" {
				continue
			}
			presented = true
			if tokens++; tokens > 8 {
				break
			}
			decoded, err := url.QueryUnescape(value)
			match = match || isSecret(value) || err == nil && isSecret(decoded)
		}
		switch {
		case match:
			require.NoError(t, err)
		case presented:
			require.Equal(t, smsgw24.ErrBadToken, err)
		default:
			require.Equal(t, smsgw24.ErrNoToken, err)
		}
	})
}

// FuzzIPAllowlist: whatever RemoteAddr and X-Forwarded-For hold, Verify
// does not panic, an error is of the class ErrForbidden alone, an accepted
// client lies in Allow, and a peer that is not a
// trusted proxy cannot change the verdict with X-Forwarded-For.
func FuzzIPAllowlist(f *testing.F) {
	for _, seed := range [][2]string{
		{"203.0.113.7:5555", ""}, {"10.0.0.5:80", "203.0.113.7"}, {"10.0.0.5:80", "1.1.1.1, 203.0.113.7, 192.0.2.1"},
		{"[2001:db8:1::42]:443", ""}, {"[::ffff:203.0.113.7]:1", "x"}, {"10.0.0.5:80", "[2001:db8:1::9]:4711,,"},
		{"not-an-ip", ""}, {"", "203.0.113.7"}, {"[fe80::1%eth0]:80", "fe80::1%eth0"}, {"10.0.0.5", "10.1.1.1, 10.2.2.2"},
	} {
		f.Add(seed[0], seed[1])
	}
	allow, err := smsgw24.ParsePrefixes("203.0.113.7", "198.51.100.0/24", "2001:db8:1::/48")
	require.NoError(f, err)
	proxies, err := smsgw24.ParsePrefixes("10.0.0.0/8", "192.0.2.1")
	require.NoError(f, err)
	l := &smsgw24.IPAllowlist{Allow: allow, TrustedProxies: proxies}

	f.Fuzz(func(t *testing.T, remote, xff string) {
		r := newRequest("/hook", map[string][]string{"X-Forwarded-For": {xff}})
		r.RemoteAddr = remote
		err := l.Verify(r, nil)
		client, cerr := l.ClientAddr(r)
		if err != nil {
			require.ErrorIs(t, err, smsgw24.ErrForbidden)
			require.NotErrorIs(t, err, smsgw24.ErrUnauthenticated)
		} else {
			require.NoError(t, cerr)
			require.True(t, slicesContainsAddr(allow, client), "accepted %s", client)
		}

		bare := newRequest("/hook", nil)
		bare.RemoteAddr = remote
		if peer, perr := netip.ParseAddrPort(remote); perr == nil && !slicesContainsAddr(proxies, peer.Addr().WithZone("").Unmap()) {
			require.Equal(t, err == nil, l.Verify(bare, nil) == nil, "X-Forwarded-For from an untrusted peer changed the verdict")
		}
	})
}

func slicesContainsAddr(prefixes []netip.Prefix, a netip.Addr) bool {
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// TestStandardWebhooksSecretsChanged: the secrets are decoded once, yet a
// change of Secrets between requests takes effect, as does a malformed one.
func TestStandardWebhooksSecretsChanged(t *testing.T) {
	const other = "whsec_b3RoZXIgc2VjcmV0IGtleQ=="
	sent := time.Unix(vecTimestamp, 0)
	request := func(secret string) *http.Request {
		sig, err := smsgw24.SignStandardWebhook(secret, vecID, sent, []byte(vecPayload))
		require.NoError(t, err)
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(vecPayload))
		r.Header.Set(smsgw24.HeaderWebhookID, vecID)
		r.Header.Set(smsgw24.HeaderWebhookTimestamp, strconv.FormatInt(vecTimestamp, 10))
		r.Header.Set(smsgw24.HeaderWebhookSignature, sig)
		return r
	}
	w := &smsgw24.StandardWebhooks{Secrets: []string{vecSecret}, Now: func() time.Time { return sent }}
	require.NoError(t, w.Verify(request(vecSecret), []byte(vecPayload)))
	require.ErrorIs(t, w.Verify(request(other), []byte(vecPayload)), smsgw24.ErrSignatureInvalid)

	w.Secrets = []string{other}
	assert.ErrorIs(t, w.Verify(request(vecSecret), []byte(vecPayload)), smsgw24.ErrSignatureInvalid)
	assert.NoError(t, w.Verify(request(other), []byte(vecPayload)))

	w.Secrets = []string{"whsec_%%%"}
	assert.ErrorIs(t, w.Verify(request(other), []byte(vecPayload)), smsgw24.ErrNotConfigured)
}
