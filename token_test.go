// token_test.go tests the comparison of a presented token with a secret
// that Token runs: secretWords.equal and its arithmetic helpers, and the
// verifier with secrets of awkward lengths; it benchmarks the comparison
// against the ones a user would write. Token's rules for the query and
// the Authorization header are tested in verify_test.go.

package smsgw24

import (
	"crypto/sha256"
	"crypto/subtle"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// compareCases are pairs of a secret and a presented token, with whether
// they are equal.
var compareCases = []struct {
	name          string
	secret, token string
	want          int
}{
	{"equal", "gateway-secret-31c9", "gateway-secret-31c9", 1},
	{"equal, one word", "abcdefgh", "abcdefgh", 1},
	{"equal, one byte", "x", "x", 1},
	{"equal, multi-byte", "geheim-äöü-€-🔑", "geheim-äöü-€-🔑", 1},
	{"equal, empty", "", "", 1},
	{"prefix", "gateway-secret-31c9", "gateway-secret-31c", 0},
	{"prefix, one word", "gateway-secret-31c9", "gateway-", 0},
	{"longer", "gateway-secret-31c9", "gateway-secret-31c9x", 0},
	{"longer by a word", "gateway-secret-31c9", "gateway-secret-31c9gateway-", 0},
	{"longer by the secret's first word", "gateway-", "gateway-gateway-", 0},
	{"shorter", "gateway-secret-31c9", "gate", 0},
	{"empty token", "gateway-secret-31c9", "", 0},
	{"empty secret", "", "gateway-secret-31c9", 0},
	{"differing last byte", "gateway-secret-31c9", "gateway-secret-31c8", 0},
	{"differing first byte", "gateway-secret-31c9", "Gateway-secret-31c9", 0},
	{"differing last byte, one word", "abcdefgh", "abcdefgi", 0},
	{"differing in the top bit", "abcdefgh", "abcdefg\xe8", 0},
	{"multi-byte, differing last byte", "geheim-äöü-€-🔑", "geheim-äöü-€-🔒", 0},
	{"multi-byte cut short", "geheim-äöü-€-🔑", "geheim-äöü-€-\xf0\x9f\x94", 0},
	{"token holds the secret's zero padding", "ab", "ab\x00", 0},
	{"secret ends in a zero byte", "ab\x00", "ab", 0},
	{"secret ends in a zero byte, equal", "ab\x00", "ab\x00", 1},
	{"zero bytes", "\x00\x00\x00\x00\x00\x00\x00\x00\x00", "\x00\x00\x00\x00\x00\x00\x00\x00", 0},
}

func TestSecretWordsEqual(t *testing.T) {
	t.Parallel()
	for _, tc := range compareCases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSecretWords(tc.secret)
			assert.Equal(t, tc.want, s.equal(tc.token))
			assert.Equal(t, tc.want, newSecretWords(tc.token).equal(tc.secret), "swapped")
		})
	}
}

// TestSecretWordsEqualLong: a token far longer than the secret, and a
// secret far longer than the token, compare without a panic and unequal.
func TestSecretWordsEqualLong(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("gateway-", 1000) + "x"
	assert.Equal(t, 0, newSecretWords("gateway-").equal(long))
	assert.Equal(t, 0, newSecretWords(long).equal("gateway-"))
	assert.Equal(t, 1, newSecretWords(long).equal(strings.Clone(long)))
	assert.Equal(t, 0, newSecretWords(long).equal(long[:len(long)-1]+"y"))
}

func TestWords(t *testing.T) {
	t.Parallel()
	assert.Equal(t, uint64(0x6867666564636261), littleEndian("abcdefgh"))
	assert.Equal(t, uint64(0x6867666564636261), littleEndian("abcdefghij"))
	assert.Equal(t, uint64(math.MaxUint64), littleEndian("\xff\xff\xff\xff\xff\xff\xff\xff"))
	for _, tc := range []struct {
		b    string
		want uint64
	}{
		{"", 0},
		{"a", 0x61},
		{"ij", 0x6a69},
		{"abcdefg", 0x67666564636261},
		{"\xff\xff\xff\xff\xff\xff\xff", math.MaxUint64 >> 8},
	} {
		assert.Equal(t, tc.want, lastWord(tc.b), "lastWord(%q)", tc.b)
	}
	for _, tc := range []struct {
		s    string
		want []uint64
	}{
		{"", []uint64{0}},
		{"a", []uint64{0x61}},
		{"abcdefgh", []uint64{0x6867666564636261}},
		{"abcdefghij", []uint64{0x6867666564636261, 0x6a69}},
	} {
		assert.Equal(t, secretWords{words: tc.want, n: len(tc.s)}, newSecretWords(tc.s), "newSecretWords(%q)", tc.s)
	}
}

func TestLessAndIsZero(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		x, y int
		want uint64
	}{
		{0, 0, 0}, {0, 1, 1}, {1, 0, 0}, {7, 8, 1}, {8, 8, 0}, {9, 8, 0},
		{0, math.MaxInt, 1}, {math.MaxInt, 0, 0}, {math.MaxInt - 1, math.MaxInt, 1},
		{math.MaxInt, math.MaxInt, 0}, {math.MaxInt32, math.MaxInt32 + 1, 1}, {math.MaxInt32 + 1, 0, 0},
	} {
		assert.Equal(t, tc.want, less(tc.x, tc.y), "less(%d, %d)", tc.x, tc.y)
	}
	for _, tc := range []struct {
		x    uint64
		want uint64
	}{
		{0, 1}, {1, 0}, {2, 0}, {1 << 63, 0}, {1<<63 - 1, 0}, {1<<63 + 1, 0}, {math.MaxUint64, 0}, {1 << 32, 0},
	} {
		assert.Equal(t, tc.want, isZero(tc.x), "isZero(%#x)", tc.x)
	}
}

// TestTokenSecretLengths: secrets of lengths around the 8-byte word, and
// one of 8001 bytes, each accepted, in the query and in the header, while
// the secret cut by one byte, or with one byte added at either end, is not.
func TestTokenSecretLengths(t *testing.T) {
	t.Parallel()
	var secrets []string
	for _, n := range []int{1, 7, 8, 9, 15, 16, 17, 64, 8001} {
		secrets = append(secrets, strings.Repeat("k", n-1)+"z")
	}
	v := Token(secrets...).(RequestVerifier)
	request := func(token string, header bool) *http.Request {
		r := &http.Request{URL: &url.URL{Path: "/hook"}, Header: http.Header{}}
		if header {
			r.Header.Set("Authorization", "Bearer "+token)
		} else {
			r.URL.RawQuery = "token=" + url.QueryEscape(token)
		}
		return r
	}
	for _, s := range secrets {
		for _, header := range []bool{false, true} {
			require.NoError(t, v.VerifyRequest(request(s, header)), "len %d, header %v", len(s), header)
			require.Equal(t, ErrBadToken, v.VerifyRequest(request(s+"z", header)), "len %d+1, header %v", len(s), header)
			require.Equal(t, ErrBadToken, v.VerifyRequest(request("x"+s, header)), "len %d+1, header %v", len(s), header)
			if len(s) > 1 {
				require.Equal(t, ErrBadToken, v.VerifyRequest(request(s[:len(s)-1], header)), "len %d-1, header %v", len(s), header)
			}
		}
	}
}

// FuzzTokenCompare: the comparison agrees with string equality on any
// pair, in either order, and on a token compared with itself.
func FuzzTokenCompare(f *testing.F) {
	for _, tc := range compareCases {
		f.Add(tc.secret, tc.token)
	}
	f.Fuzz(func(t *testing.T, secret, token string) {
		want := 0
		if secret == token {
			want = 1
		}
		require.Equal(t, want, newSecretWords(secret).equal(token))
		require.Equal(t, want, newSecretWords(token).equal(secret))
		require.Equal(t, 1, newSecretWords(secret).equal(strings.Clone(secret)))
	})
}

// BenchmarkTokenCompare compares a token of the length of BenchmarkHandler's
// with a secret, one byte off at the end, by secretWords.equal and by what
// a user would write instead:
//
//   - sha256+ConstantTimeCompare: the digests of both compared, as Token
//     did before, hiding the secret's length;
//   - ConstantTimeCompare: crypto/subtle on the bytes, which returns at once
//     when the lengths differ and so reveals the secret's length.
func BenchmarkTokenCompare(b *testing.B) {
	const secret, token = "bench-token-0123456789", "bench-token-012345678x"
	s := newSecretWords(secret)
	secretBytes, tokenBytes := []byte(secret), []byte(token)
	digest := sha256.Sum256(secretBytes)
	b.Run("secretWords.equal", func(b *testing.B) {
		for b.Loop() {
			s.equal(token)
		}
	})
	b.Run("sha256+ConstantTimeCompare", func(b *testing.B) {
		for b.Loop() {
			d := sha256.Sum256(tokenBytes)
			subtle.ConstantTimeCompare(d[:], digest[:])
		}
	})
	b.Run("ConstantTimeCompare", func(b *testing.B) {
		for b.Loop() {
			subtle.ConstantTimeCompare(tokenBytes, secretBytes)
		}
	})
}
