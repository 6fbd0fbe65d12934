// token.go holds Token, the verifier of a shared secret sent in the URL's
// token parameter or an Authorization: Bearer header, and the comparison of
// a presented token with a secret, 8 bytes at a time and in constant time.

package smsgw24

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// tokenVerifier keeps its non-empty secrets in the form the comparison
// reads.
type tokenVerifier struct {
	secrets []secretWords
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
// every presented token is compared with every configured secret, 8 bytes at
// a time, without stopping at the first difference or the first match. Its
// time depends on the lengths of the presented tokens and the number of
// secrets alone, not on a secret's content or length, nor on how a token
// differs from it: a prefix of a secret, a longer token and one wrong only
// in its last byte all take the time of any other token of their length.
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
			v.secrets = append(v.secrets, newSecretWords(s))
		}
	}
	return v
}

// Verify implements [Verifier]; the body is not used.
func (v *tokenVerifier) Verify(r *http.Request, _ []byte) error {
	return v.VerifyRequest(r)
}

func (v *tokenVerifier) checkConfig() error {
	if len(v.secrets) == 0 {
		return fmt.Errorf("%w: Token has no secret", ErrNotConfigured)
	}
	return nil
}

// VerifyRequest implements [RequestVerifier].
func (v *tokenVerifier) VerifyRequest(r *http.Request) error {
	if len(v.secrets) == 0 {
		return ErrNotConfigured
	}
	presented, match := 0, 0
	check := func(t string) {
		presented++
		for i := range v.secrets {
			match |= v.secrets[i].equal(t)
		}
	}
	if r.URL != nil {
		// The query is read pair by pair, as url.ParseQuery splits it, but
		// in place: each value counts both as it stands and decoded. Past
		// maxQueryTokens token parameters the rest are not compared: a URL
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
	// Once a token of the URL matched, the headers cannot change the
	// answer, which tells the sender as much: they are not looked up.
	if match == 0 {
		for _, h := range r.Header["Authorization"] { // as Header.Values finds it
			if t, ok := bearerToken(h); ok {
				check(t)
			}
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

// secretWords is a secret as [secretWords.equal] reads it: its bytes in
// little-endian 8-byte words, the last one padded with zeros, and its
// length.
type secretWords struct {
	words []uint64 // never empty, so that words[0] exists
	n     int
}

func newSecretWords(s string) secretWords {
	w := secretWords{words: make([]uint64, max(1, (len(s)+7)/8)), n: len(s)}
	for j := 0; j < len(s); j++ {
		w.words[j/8] |= uint64(s[j]) << (8 * (j % 8))
	}
	return w
}

// equal returns 1 when token is the secret and 0 when it is not, in
// constant time. It reads the token 8 bytes at a time and XORs its word k
// with the secret's word k or, past the secret's last word, with its first
// word: the index is chosen by arithmetic, not by a branch. It ORs the
// differences together and then requires the lengths to be equal, again by
// arithmetic. Its only branches are on the token's length, which the sender
// chose, and the bounds checks the compiler adds, which always pass: its
// time depends on the token's length alone, not on the secret's content or
// length, nor on where the two first differ. Lengths and indexes are
// compared at their full width, never cut to 32 bits as crypto/subtle's
// ConstantTimeLessOrEq and ConstantTimeEq cut them, so a token of any length
// compares correctly and none needs to be turned away for its length.
func (s secretWords) equal(token string) int {
	var diff uint64
	i := 0
	for ; len(token)-i >= 8; i += 8 {
		diff |= littleEndian(token[i:i+8]) ^ s.words[s.index(i/8)]
	}
	if i < len(token) {
		diff |= lastWord(token[i:]) ^ s.words[s.index(i/8)]
	}
	return int(isZero(diff) & isZero(uint64(len(token))^uint64(s.n)))
}

// index returns k when the secret has a word k, and 0 when it has not,
// without a branch.
func (s secretWords) index(k int) int {
	return k & -int(less(k, len(s.words)))
}

// littleEndian returns the 8 bytes of b as a little-endian number.
func littleEndian(b string) uint64 {
	b = b[:8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// lastWord returns the fewer than 8 bytes of b as a little-endian number,
// padded with zeros.
func lastWord(b string) uint64 {
	var w uint64
	for j := len(b) - 1; j >= 0; j-- {
		w = w<<8 | uint64(b[j])
	}
	return w
}

// less returns 1 when x < y and 0 otherwise, without a branch; x and y are
// lengths or indexes, never negative, so x-y cannot overflow and its sign
// bit is the answer.
func less(x, y int) uint64 {
	return uint64(x-y) >> 63
}

// isZero returns 1 when x is 0 and 0 otherwise, without a branch: for any
// other x, x or -x has its top bit set.
func isZero(x uint64) uint64 {
	return 1 ^ (x|-x)>>63
}
