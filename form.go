// form.go reads form bodies (application/x-www-form-urlencoded) and
// multipart bodies into raw fields, as senders write them: a '%' that
// starts no escape is kept, parts are named by any disposition, and a small
// text file counts as a value. Its invariants are in scan.go.

package smsgw24

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"unicode/utf8"
)

// as in any form; a '%' that starts no valid escape is kept as it is, so
// that a sender who forgot to escape it loses nothing.
func (st *wireState) scanForm(data []byte) error {
	for len(data) > 0 {
		var pair []byte
		pair, data, _ = bytes.Cut(data, []byte{'&'})
		if len(pair) == 0 {
			continue
		}
		name, value, _ := bytes.Cut(pair, []byte{'='})
		// Space around a name ("\r\nsms_id" after a line break) is no part of it.
		name = bytes.TrimSpace(st.unescapeForm(name))
		if err := st.add(rawField{name: name, value: st.unescapeForm(value), kind: kindString}); err != nil {
			return err
		}
	}
	return nil
}

func (st *wireState) unescapeForm(s []byte) []byte {
	if bytes.IndexByte(s, '%') < 0 && bytes.IndexByte(s, '+') < 0 {
		return s
	}
	start := len(st.scratch)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			st.scratch = append(st.scratch, ' ')
		case '%':
			if hi, lo := escapedHex(s, i+1), escapedHex(s, i+2); hi >= 0 && lo >= 0 {
				st.scratch = append(st.scratch, byte(hi<<4|lo))
				i += 2
			} else {
				st.scratch = append(st.scratch, c)
			}
		default:
			st.scratch = append(st.scratch, c)
		}
	}
	return st.scratch[start:len(st.scratch):len(st.scratch)]
}

// escapedHex reads the hex digit at s[i] of a %XX escape, or returns -1.
func escapedHex(s []byte, i int) int {
	if i >= len(s) {
		return -1
	}
	return hexDigit(s[i])
}

// maxFilePartBytes is the largest part sent as a file that is read as a
// value: a WhatsApp text of 65 536 characters is at most 256 KiB of UTF-8.
const maxFilePartBytes = 256 << 10

// scanMultipart reads a multipart body. A part counts when its
// Content-Disposition (form-data, or attachment or inline as some clients
// write it) names it; a part sent as a file (Python requests' files=)
// counts when it is small UTF-8 text, and is skipped otherwise. The errors
// name the part and its offset, never a line of the body.
func (st *wireState) scanMultipart(data []byte, boundary string) error {
	if boundary == "" {
		return fmt.Errorf("%w: multipart body without a boundary", ErrMalformedBody)
	}
	mr := multipart.NewReader(bytes.NewReader(data), boundary)
	for n := 0; ; n++ {
		if n >= maxMultiparts {
			return fmt.Errorf("%w: more than %d multipart parts", ErrMalformedBody, maxMultiparts)
		}
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			if n == 0 {
				return fmt.Errorf("%w: multipart body has no part with its boundary", ErrMalformedBody)
			}
			return nil
		}
		if err != nil {
			return multipartError(data, boundary, n, err)
		}
		name, file := partName(part.Header)
		if name == "" {
			continue
		}
		var value []byte
		if file {
			value, err = io.ReadAll(io.LimitReader(part, maxFilePartBytes+1))
		} else {
			value, err = io.ReadAll(part)
		}
		if err != nil {
			return multipartError(data, boundary, n, err)
		}
		if file && (len(value) > maxFilePartBytes || !isText(value)) {
			continue // a file indeed; the gateway sends none
		}
		if err := st.add(rawField{name: []byte(name), value: value, kind: kindString}); err != nil {
			return err
		}
	}
}

// partName reads the name a part's Content-Disposition gives it, and
// whether the part was sent as a file.
func partName(header textproto.MIMEHeader) (name string, file bool) {
	disposition, params, err := mime.ParseMediaType(header.Get("Content-Disposition"))
	if err != nil {
		return "", false
	}
	switch disposition {
	case "form-data", "attachment", "inline":
	default:
		return "", false
	}
	_, file = params["filename"]
	return params["name"], file
}

// isText reports whether a file part's content is text: valid UTF-8
// without control characters other than tab, line feed and carriage return.
func isText(value []byte) bool {
	for _, c := range value {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return utf8.Valid(value)
}

// multipartError describes a part that cannot be read by its number and the
// offset of its delimiter. The reader's own errors quote lines of the body,
// which must not reach an answer or a log.
func multipartError(data []byte, boundary string, n int, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: multipart body ends too early, in part %d", ErrMalformedBody, n+1)
	}
	return fmt.Errorf("%w: multipart part %d at byte %d cannot be read", ErrMalformedBody, n+1, delimiterOffset(data, boundary, n))
}

// delimiterOffset finds the n-th (from 0) delimiter line "--boundary" of a
// multipart body, or returns the body's length.
func delimiterOffset(data []byte, boundary string, n int) int {
	delim := "--" + boundary
	for off := 0; off < len(data); {
		i := bytes.Index(data[off:], []byte(delim))
		if i < 0 {
			break
		}
		at := off + i
		if at == 0 || data[at-1] == '\n' {
			if n == 0 {
				return at
			}
			n--
		}
		off = at + len(delim)
	}
	return len(data)
}
