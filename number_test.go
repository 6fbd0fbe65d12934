// number_test.go pins the reader of whole numbers, the form ids and codes
// take on the wire, and holds it to math/big by fuzzing.

package smsgw24

import (
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseWhole(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"42", 42, true}, {" 42 ", 42, true}, {"-7", -7, true}, {"+7", 7, true},
		{"9223372036854775807", 9223372036854775807, true},
		{"-9223372036854775808", -9223372036854775808, true},
		{"9223372036854775808", 0, false},
		{"99999999999999999999", 0, false},
		{"1e3", 1000, true}, {"12.0", 12, true}, {"12.5", 0, false},
		{"42.0", 42, true}, {"4.2e1", 42, true}, {"4.2E+1", 42, true}, {"420e-1", 42, true}, {"-4.2e1", -42, true},
		{"5.", 5, true}, {".5e1", 5, true}, {"0.0", 0, true}, {"-0.0e5", 0, true},
		{"9007199254740993.0", 9007199254740993, true}, {"9007199254740993.000", 9007199254740993, true},
		// Read from the decimal text, exactly, never through a float.
		{"9007199254740993e0", 9007199254740993, true}, {"9.007199254740993e15", 9007199254740993, true},
		{"9.223372036854775807e18", 9223372036854775807, true}, {"-9.223372036854775808e18", -9223372036854775808, true},
		{"9.223372036854775808e18", 0, false}, {"1e18", 1e18, true}, {"1e19", 0, false},
		{"0.99999999999999999", 0, false}, {"3281467.0000000001", 0, false}, {"6.99999999999999999", 0, false},
		{"3.2814675e6", 0, false}, {"12e-1", 0, false}, {"1.5", 0, false},
		{"0e99999999999999999999", 0, true}, {"1e-99999999999999999999", 0, false}, {"1e99999999999999999999", 0, false},
		{"1e400", 0, false}, {"", 0, false}, {"-", 0, false}, {"abc", 0, false}, {"0x10", 0, false},
		{".", 0, false}, {"e5", 0, false}, {"1e", 0, false}, {"1e+", 0, false}, {"1.2.3", 0, false}, {"1e2e3", 0, false},
		{"--1.0", 0, false}, {"1.0 0", 0, false}, {"Inf", 0, false}, {"NaN", 0, false}, {"1_000.0", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseWhole([]byte(tt.in))
		assert.Equal(t, tt.ok, ok, "%q", tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
	}
}

// FuzzParseWhole holds the reader of ids and codes to math/big, which reads
// decimal text exactly: a number is taken when, and only when, its value
// is a whole number that fits an int64, and then as that number.
func FuzzParseWhole(f *testing.F) {
	for _, seed := range []string{
		"42", " -7 ", "+7", "42.0", "4.2e1", "420E-1", "0.99999999999999999", "3281467.0000000001",
		"9007199254740993e0", "9.223372036854775807e18", "-9.223372036854775808e18", "1e19", "5.", ".5e1",
		"0e999", "1e-999", "1.2.3", "1e", "-", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, ok := parseWhole([]byte(text))
		trimmed := strings.TrimSpace(text)
		if strings.Trim(trimmed, "0123456789.eE+-") != "" {
			require.False(t, ok, "took %q", text)
			return
		}
		if e := strings.IndexAny(trimmed, "eE"); e >= 0 && len(strings.TrimLeft(trimmed[e+1:], "+-0")) > 4 {
			return // an exponent that math/big would spend its time on
		}
		want, isNumber := new(big.Rat).SetString(trimmed)
		if !isNumber || !want.IsInt() || !want.Num().IsInt64() {
			require.False(t, ok, "took %q as %d", text, got)
			return
		}
		// math/big is laxer about where signs and points may stand.
		if !ok {
			require.False(t, plainDecimal(trimmed), "refused %q, which is %s", text, want.RatString())
			return
		}
		require.Equal(t, want.Num().Int64(), got, "%q", text)
	})
}

// plainDecimal reports whether s is a decimal number as parseWhole reads
// it: a sign, digits with at most one point, an exponent with a sign.
func plainDecimal(s string) bool {
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	mantissa, exponent, hasExponent := strings.Cut(strings.ToLower(s), "e")
	if hasExponent {
		exponent = strings.TrimPrefix(strings.TrimPrefix(exponent, "+"), "-")
		if exponent == "" || strings.Trim(exponent, "0123456789") != "" {
			return false
		}
	}
	whole, frac, _ := strings.Cut(mantissa, ".")
	return whole+frac != "" && strings.Trim(whole+frac, "0123456789") == ""
}
