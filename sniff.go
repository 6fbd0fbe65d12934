// sniff.go decides how a body is read, JSON, form or multipart, from the
// body first and the Content-Type second, since real senders' headers are
// often wrong.

package smsgw24

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
)

// multipartBoundary reads the boundary a multipart body opens with: its
// first line is "--boundary" and a part's header follows it. ok is false
// for any other body.
func multipartBoundary(body []byte) (boundary string, ok bool) {
	i := skipSpace(body, 0)
	if len(body)-i < 3 || body[i] != '-' || body[i+1] != '-' {
		return "", false
	}
	line, rest, found := bytes.Cut(body[i+2:], []byte{'\n'})
	if !found {
		return "", false
	}
	line = bytes.TrimRight(line, " \t\r") // transport padding (RFC 2046)
	if len(line) == 0 || len(line) > 70 {
		return "", false
	}
	for _, c := range line {
		if !isBoundaryChar(c) {
			return "", false
		}
	}
	// A header line: a name of visible characters, then a colon.
	header, _, _ := bytes.Cut(rest, []byte{'\n'})
	colon := bytes.IndexByte(header, ':')
	if colon <= 0 {
		return "", false
	}
	for _, c := range header[:colon] {
		if c <= ' ' || c >= 0x7f {
			return "", false
		}
	}
	return string(line), true
}

// isBoundaryChar reports whether c may appear in a multipart boundary
// (RFC 2046 bchars).
func isBoundaryChar(c byte) bool {
	switch {
	case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		return true
	}
	return strings.IndexByte("'()+_,-./:=? ", c) >= 0
}

// bodyFormat is how Parse reads a body.
type bodyFormat uint8

const (
	formatJSON bodyFormat = iota
	formatForm
	formatMultipart
)

// sniffFormat decides how to read a body. The body wins over the header:
//
//   - a body that starts with '{' or '[', or is one JSON string (JSON
//     encoded twice), is JSON whatever the header says;
//   - a body whose first line is a multipart delimiter ("--boundary") is
//     multipart under any header, with that boundary;
//   - a form body under a JSON header is read as a form, and so is a body
//     under any other header (text/plain, application/octet-stream) that
//     parses as a form.
func sniffFormat(contentType string, body []byte) (bodyFormat, string, error) {
	if i := skipSpace(body, 0); i < len(body) {
		switch body[i] {
		case '{', '[':
			return formatJSON, "", nil
		case '"':
			if isJSONString(body) {
				return formatJSON, "", nil
			}
		case '-':
			if boundary, ok := multipartBoundary(body); ok {
				return formatMultipart, boundary, nil
			}
		}
	}
	if contentType == "" {
		return formatForm, "", nil
	}
	// The common headers are told apart without mime.ParseMediaType, which
	// allocates; only multipart needs its parameters.
	mediaType, _, _ := strings.Cut(contentType, ";")
	mediaType = strings.TrimSpace(mediaType)
	var boundary string
	switch {
	case strings.EqualFold(mediaType, "application/x-www-form-urlencoded"):
		return formatForm, "", nil
	case strings.EqualFold(mediaType, "application/json") && bytes.IndexByte(body, '=') < 0:
		return formatJSON, "", nil
	default:
		var params map[string]string
		var err error
		if mediaType, params, err = mime.ParseMediaType(contentType); err != nil {
			// A header we cannot read is no better than none.
			return formatForm, "", nil
		}
		boundary = params["boundary"]
	}
	switch {
	case mediaType == "application/x-www-form-urlencoded":
		return formatForm, "", nil
	case mediaType == "multipart/form-data":
		return formatMultipart, boundary, nil
	case mediaType == "application/json" || mediaType == "text/json" || len(mediaType) > 5 && mediaType[len(mediaType)-5:] == "+json":
		if bytes.IndexByte(body, '=') >= 0 {
			return formatForm, "", nil
		}
		return formatJSON, "", nil
	case isForm(body):
		return formatForm, "", nil
	}
	return 0, "", fmt.Errorf("%w: %s, and the body is neither JSON nor a form", ErrUnsupportedMediaType, mediaType)
}

// isForm reports whether a body parses as a form: name=value pairs joined
// by '&', each name free of space and control characters, no value with a
// control character, and at least one pair.
func isForm(body []byte) bool {
	body = bytes.TrimRight(body, " \t\r\n")
	pairs := 0
	for len(body) > 0 {
		var pair []byte
		pair, body, _ = bytes.Cut(body, []byte{'&'})
		if len(pair) == 0 {
			continue
		}
		name, value, ok := bytes.Cut(pair, []byte{'='})
		if !ok || len(name) == 0 {
			return false
		}
		for _, c := range name {
			if c <= ' ' || c == 0x7f {
				return false
			}
		}
		for _, c := range value {
			if c < ' ' || c == 0x7f {
				return false
			}
		}
		pairs++
	}
	return pairs > 0
}
