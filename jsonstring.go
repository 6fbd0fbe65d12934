// jsonstring.go reads the strings of JSON bodies: skipString checks one,
// readString decodes one (as a slice of the body when it has no escape,
// else into the scratch buffer), and plainRun finds the end of a run of
// plain bytes eight at a time. Its invariants are those of scan.go.

package smsgw24

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// skipString checks the JSON string at data[i] without decoding it.
func skipString(data []byte, i int) (int, error) {
	for j, _ := plainRun(data, i+1); j < len(data); j, _ = plainRun(data, j+1) {
		switch c := data[j]; {
		case c == '"':
			return j + 1, nil
		case c == '\\':
			j++
			if j >= len(data) {
				return j, syntaxError(data, j, "want an escape")
			}
			switch data[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if hex4(data, j+1) < 0 {
					return j, syntaxError(data, j, "want four hex digits after \\u")
				}
				j += 4
			default:
				return j, syntaxError(data, j, "want a valid escape")
			}
		case c < 0x20:
			return j, syntaxError(data, j, "want no control character in a string")
		}
	}
	return len(data), syntaxError(data, len(data), "want the end of a string")
}

// readString decodes the JSON string at data[i] and returns the offset
// after it. Without escapes or broken UTF-8 the text is a slice of data;
// otherwise it is decoded into scratch, with U+FFFD for invalid UTF-8 and
// lone surrogates, as encoding/json does.
func (st *wireState) readString(data []byte, i int) (text []byte, next int, err error) {
	j, ascii := plainRun(data, i+1)
	return st.finishString(data, i, j, ascii)
}

// finishString is readString once plainRun(data, i+1) gave j and ascii:
// the scanner's loop runs plainRun itself, to take the common string
// without a call.
func (st *wireState) finishString(data []byte, i, j int, ascii bool) (text []byte, next int, err error) {
	switch {
	case j >= len(data):
		return nil, j, syntaxError(data, j, "want the end of a string")
	case data[j] == '"' && (ascii || utf8.Valid(data[i+1:j])):
		return data[i+1 : j], j + 1, nil
	case data[j] < 0x20:
		return nil, j, syntaxError(data, j, "want no control character in a string")
	}
	// An escape, or broken UTF-8: the whole string is checked, then
	// decoded if it must be.
	end, err := skipString(data, i)
	if err != nil {
		return nil, end, err
	}
	inner := data[i+1 : end-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return inner, end, nil
	}
	start := len(st.scratch)
	for r := 0; r < len(inner); {
		c := inner[r]
		switch {
		case c == '\\':
			r++
			switch inner[r] {
			case 'b':
				st.scratch = append(st.scratch, '\b')
			case 'f':
				st.scratch = append(st.scratch, '\f')
			case 'n':
				st.scratch = append(st.scratch, '\n')
			case 'r':
				st.scratch = append(st.scratch, '\r')
			case 't':
				st.scratch = append(st.scratch, '\t')
			case 'u':
				rr := rune(hex4(inner, r+1))
				r += 4
				if utf16.IsSurrogate(rr) {
					rr2 := rune(-1)
					if r+2 < len(inner) && inner[r+1] == '\\' && inner[r+2] == 'u' {
						rr2 = rune(hex4(inner, r+3))
					}
					if dec := utf16.DecodeRune(rr, rr2); dec != utf8.RuneError {
						rr = dec
						r += 6
					} else {
						rr = utf8.RuneError
					}
				}
				st.scratch = utf8.AppendRune(st.scratch, rr)
			default: // '"', '\\', '/'
				st.scratch = append(st.scratch, inner[r])
			}
			r++
		case c < utf8.RuneSelf:
			st.scratch = append(st.scratch, c)
			r++
		default:
			rr, size := utf8.DecodeRune(inner[r:])
			st.scratch = utf8.AppendRune(st.scratch, rr)
			r += size
		}
	}
	return st.scratch[start:len(st.scratch):len(st.scratch)], end, nil
}

// plainByte tells the bytes that stand for themselves in a JSON string:
// all but '"', '\\' and control characters. Bytes from 0x80 are plain
// here; whether they are UTF-8 is checked once a string's end is known.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x100; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// highBits has the high bit of each of eight bytes: the bytes from 0x80.
const highBits = 0x8080808080808080

// plainRun returns the offset of the first byte from data[j] on that is
// not plain (see plainByte): the end of a string, an escape, a control
// character, or len(data); and whether the bytes before it are all ASCII.
// It looks at eight bytes at a time while it can.
func plainRun(data []byte, j int) (end int, ascii bool) {
	var seen uint64 // the bytes passed, ORed: a high bit is a byte from 0x80
	for ; j+8 <= len(data); j += 8 {
		x := binary.LittleEndian.Uint64(data[j : j+8])
		if m := notPlain8(x); m != 0 {
			seen |= x & (m&-m - 1) // the bytes before the mark (its own high bit is the mark's)
			return j + bits.TrailingZeros64(m)/8, seen&highBits == 0
		}
		seen |= x
	}
	for ; j < len(data) && plainByte[data[j]]; j++ {
		seen |= uint64(data[j])
	}
	return j, seen&highBits == 0
}

// notPlain8 marks, with the high bit of each byte, the bytes of x (eight
// bytes of a string, the first in the low byte) that are not plain. Only
// the lowest mark is exact: a borrow may mark bytes above a true mark, never
// below, which is all plainRun asks. A byte from 0x80 is never marked:
// each term keeps only bytes whose own high bit is clear. FuzzPlainRun
// holds it to plainByte, FuzzScanJSON to encoding/json.
func notPlain8(x uint64) uint64 {
	const ones = 0x0101010101010101
	control := (x - 0x20*ones) &^ x                      // a byte below 0x20
	quote := ((x ^ '"'*ones) - ones) &^ (x ^ '"'*ones)   // a '"'
	slash := ((x ^ '\\'*ones) - ones) &^ (x ^ '\\'*ones) // a '\\'
	return (control | quote | slash) & highBits
}

// hex4 reads four hex digits at data[i], or returns -1.
func hex4(data []byte, i int) int {
	if len(data)-i < 4 {
		return -1
	}
	n := 0
	for _, c := range data[i : i+4] {
		d := hexDigit(c)
		if d < 0 {
			return -1
		}
		n = n<<4 | d
	}
	return n
}

// hexDigit reads one hex digit, or returns -1; JSON's \u escapes and a
// form's %XX escapes both read theirs with it.
func hexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return int(c - 'A' + 10)
	}
	return -1
}
