// token.go holds Token, the verifier of a shared secret sent in the URL's
// token parameter or an Authorization: Bearer header, compared in constant
// time against digests of the secrets.

package smsgw24

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// tokenVerifier keeps only the SHA-256 digests of its secrets.
type tokenVerifier struct {
	digests [][sha256.Size]byte
}

// Token returns a [Verifier] that accepts a request carrying one of secrets in
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
// closed: it rejects every request with [ErrNotConfigured].
//
// It returns [ErrNoToken] when the request carries no token and [ErrBadToken]
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

// Verify implements [Verifier]; the body is not used.
func (v *tokenVerifier) Verify(r *http.Request, _ []byte) error {
	return v.VerifyRequest(r)
}

func (v *tokenVerifier) checkConfig() error {
	if len(v.digests) == 0 {
		return fmt.Errorf("%w: Token has no secret", ErrNotConfigured)
	}
	return nil
}

// VerifyRequest implements [RequestVerifier].
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
			if name != "token" && !(escaped(name) && unescapeQuery(name) == "token") {
				continue
			}
			if value == "" {
				continue
			}
			tokens++
			check(value)
			if escaped(value) {
				if d := unescapeQuery(value); d != "" && d != value {
					check(d)
				}
			}
		}
	}
	for _, h := range r.Header["Authorization"] { // as Header.Values finds it

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

// maxQueryTokens is how many token query parameters [Token] compares; the
// gateway sends one.
const maxQueryTokens = 8

// escaped reports whether a query name or value has a '%' or '+' to
// decode. (strings.ContainsAny would build a set of the two on each call.)
func escaped(s string) bool {
	return strings.IndexByte(s, '%') >= 0 || strings.IndexByte(s, '+') >= 0
}

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
