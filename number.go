// number.go reads whole numbers in every form ids and codes take on the
// wire: digits, a JSON number in exponent or decimal form whose value is
// whole, a string holding either, with spaces around. It works on the
// decimal text, never through a float.

package smsgw24

import "bytes"

// parseWhole reads a whole number: JSON number text or a string holding
// one, with surrounding spaces. A number in exponent or decimal form counts
// when its value is whole ("1e3", "12.0").
func parseWhole(v []byte) (int64, bool) {
	if len(v) > 0 && len(v) <= maxPlainDigits {
		// The common number: digits alone, too few to overflow.
		var n int64
		for _, c := range v {
			if c-'0' > 9 {
				return parseWholeText(v)
			}
			n = n*10 + int64(c-'0')
		}
		return n, true
	}
	return parseWholeText(v)
}

// maxPlainDigits is how many decimal digits always fit in an int64.
const maxPlainDigits = 18

// parseWholeText is parseWhole for any text but plain digits that fit.
func parseWholeText(v []byte) (int64, bool) {
	v = trimSpace(v)
	if len(v) == 0 {
		return 0, false
	}
	neg := v[0] == '-'
	digits := v
	if neg || v[0] == '+' {
		digits = v[1:]
	}
	if len(digits) == 0 {
		return 0, false
	}
	var n uint64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return parseWholeFloat(v)
		}
		if n > (1<<63)/10 {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	switch {
	case neg && n <= 1<<63:
		return -int64(n), true
	case !neg && n < 1<<63:
		return int64(n), true
	}
	return 0, false
}

// parseWholeFloat reads a whole number written with a decimal point or an
// exponent: "12.0", "1e3", "4.2e1". It works on the decimal text, never
// through a float, which would take 0.99999999999999999 for 1 and
// 3281467.0000000001 for 3281467: a number counts only when every digit
// after its point, the exponent applied, is zero.
func parseWholeFloat(v []byte) (int64, bool) {
	neg := false
	if len(v) > 0 && (v[0] == '+' || v[0] == '-') {
		neg, v = v[0] == '-', v[1:]
	}
	mantissa, exponent, hasExponent := bytes.Cut(v, []byte{'e'})
	if !hasExponent {
		mantissa, exponent, hasExponent = bytes.Cut(v, []byte{'E'})
	}
	whole, frac, _ := bytes.Cut(mantissa, []byte{'.'})
	if len(whole)+len(frac) == 0 || !allDigits(whole) || !allDigits(frac) {
		return 0, false
	}
	exp := 0
	if hasExponent {
		expNeg := len(exponent) > 0 && exponent[0] == '-'
		if len(exponent) > 0 && (exponent[0] == '+' || exponent[0] == '-') {
			exponent = exponent[1:]
		}
		if len(exponent) == 0 || !allDigits(exponent) {
			return 0, false
		}
		for _, c := range exponent {
			// Beyond the digits of any body, a larger exponent changes
			// nothing; the bound keeps exp within an int of 32 bits.
			if exp = exp*10 + int(c-'0'); exp > 100_000_000 {
				break
			}
		}
		if expNeg {
			exp = -exp
		}
	}
	// The digits are whole followed by frac; the point stands after the
	// first point of them (before the first, or beyond the last, if need be).
	point := len(whole) + exp
	limit := uint64(1<<63 - 1)
	if neg {
		limit = 1 << 63
	}
	var n uint64
	for k := range len(whole) + len(frac) {
		var c byte
		if k < len(whole) {
			c = whole[k]
		} else {
			c = frac[k-len(whole)]
		}
		d := uint64(c - '0')
		if k >= point {
			if d != 0 {
				return 0, false // a digit after the point: not whole
			}
			continue
		}
		if n > (limit-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	for k := len(whole) + len(frac); k < point && n != 0; k++ {
		if n > limit/10 {
			return 0, false
		}
		n *= 10
	}
	if neg {
		return -int64(n), true // n = 1<<63 wraps to the smallest int64, as wanted
	}
	return int64(n), true
}

func allDigits(v []byte) bool {
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
