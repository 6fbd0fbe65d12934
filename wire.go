// wire.go turns the bytes of a webhook body into a flat list of raw fields:
// a small JSON scanner for the gateway's flat objects (and for JSON encoded
// twice), a form decoder, a multipart reader, the sniffing that tells them
// apart from the body rather than the header, and the readers of every date
// format and number form seen on the wire. It knows nothing of events;
// payload.go gives the fields their meaning.

package smsgw24

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// valueKind is what a raw field's value was on the wire.
type valueKind uint8

const (
	kindString valueKind = iota // a JSON string, or any form value
	kindNumber                  // a JSON number
	kindNull                    // JSON null
	kindBool                    // JSON true or false
	kindObject                  // a JSON object; value holds its raw text
	kindArray                   // a JSON array; value holds its raw text
)

// rawField is one name and value as found on the wire. For a JSON string,
// value is the decoded text and raw the literal with its quotes; for any
// other JSON value both hold the literal; form values have no raw.
type rawField struct {
	name  []byte
	value []byte
	raw   []byte
	kind  valueKind
	known wireName // what the name means; set by classify
}

// Limits of the scanners: the gateway sends flat objects of about ten
// fields, so anything far beyond is not one of its bodies.
const (
	maxFields     = 256 // fields in one body
	maxNesting    = 32  // depth of a nested JSON value
	maxMultiparts = 256 // parts of a multipart body
)

// wireState is the reusable working memory of one Parse call.
type wireState struct {
	fields      []rawField
	scratch     []byte // decoded strings with escapes point in here
	zoneLookups int    // zone names looked up in the system's database for this body
}

var wireStates = sync.Pool{New: func() any {
	return &wireState{fields: make([]rawField, 0, 16), scratch: make([]byte, 0, 512)}
}}

func getWireState() *wireState { return wireStates.Get().(*wireState) }

func putWireState(st *wireState) {
	if cap(st.scratch) > 64<<10 || cap(st.fields) > maxFields {
		return // let an oversized one go rather than keep it forever
	}
	clear(st.fields[:cap(st.fields)]) // drop references to the body
	st.fields = st.fields[:0]
	st.scratch = st.scratch[:0]
	st.zoneLookups = 0
	wireStates.Put(st)
}

func (st *wireState) add(f rawField) error {
	if len(st.fields) >= maxFields {
		return fmt.Errorf("%w: more than %d fields", ErrMalformedBody, maxFields)
	}
	st.fields = append(st.fields, f)
	return nil
}

// syntaxError reports a JSON body that is not valid JSON. It names the
// offset, never the body's text.
func syntaxError(data []byte, i int, what string) error {
	if i >= len(data) {
		return fmt.Errorf("%w: JSON ends too early, %s", ErrMalformedBody, what)
	}
	return fmt.Errorf("%w: JSON has an unexpected character at byte %d, %s", ErrMalformedBody, i, what)
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// scanJSON reads a body that must be one JSON object. Nested values are
// checked and kept whole; their fields are not listed.
func (st *wireState) scanJSON(data []byte) error {
	i := skipSpace(data, 0)
	if i < len(data) && data[i] == '[' {
		return fmt.Errorf("%w: JSON is an array, want one object", ErrMalformedBody)
	}
	if i >= len(data) || data[i] != '{' {
		return syntaxError(data, i, "want an object")
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return st.jsonEnd(data, i+1)
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return syntaxError(data, i, "want a field name")
		}
		var f rawField
		var err error
		f.name, _, i, err = st.readString(data, i)
		if err != nil {
			return err
		}
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != ':' {
			return syntaxError(data, i, "want a colon after a field name")
		}
		i = skipSpace(data, i+1)
		if i, err = st.readValue(data, i, &f); err != nil {
			return err
		}
		if err := st.add(f); err != nil {
			return err
		}
		i = skipSpace(data, i)
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
			continue
		}
		if i < len(data) && data[i] == '}' {
			return st.jsonEnd(data, i+1)
		}
		return syntaxError(data, i, "want a comma or the end of the object")
	}
}

func (st *wireState) jsonEnd(data []byte, i int) error {
	if i = skipSpace(data, i); i != len(data) {
		return syntaxError(data, i, "want nothing after the object")
	}
	return nil
}

// scanJSONBody reads a JSON body: one object, or one JSON string whose text
// is that object, as senders post it that encode an object they already
// encoded (PHP json_encode handed to Guzzle's 'json' option, Python's
// json.dumps handed to requests' json=). Offsets in the errors about such
// an object count in the decoded text.
func (st *wireState) scanJSONBody(data []byte) error {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '"' {
		return st.scanJSON(data)
	}
	text, _, end, err := st.readString(data, i)
	if err != nil {
		return err
	}
	if err := st.jsonEnd(data, end); err != nil {
		return err
	}
	if j := skipSpace(text, 0); j >= len(text) || text[j] != '{' {
		return syntaxError(data, i, "want an object")
	}
	return st.scanJSON(text)
}

// isJSONString reports whether the body is one JSON string, and nothing
// else but space.
func isJSONString(body []byte) bool {
	i := skipSpace(body, 0)
	if i >= len(body) || body[i] != '"' {
		return false
	}
	end, err := skipString(body, i)
	return err == nil && skipSpace(body, end) == len(body)
}

// readValue reads the JSON value at data[i] into f and returns the offset
// after it.
func (st *wireState) readValue(data []byte, i int, f *rawField) (int, error) {
	if i >= len(data) {
		return i, syntaxError(data, i, "want a value")
	}
	start := i
	var err error
	switch c := data[i]; {
	case c == '"':
		f.kind = kindString
		f.value, f.raw, i, err = st.readString(data, i)
		return i, err
	case c == '{' || c == '[':
		f.kind = kindObject
		if c == '[' {
			f.kind = kindArray
		}
		i, err = skipNested(data, i, 1)
	case c == 't':
		f.kind, i, err = kindBool, i+4, literal(data, i, "true")
	case c == 'f':
		f.kind, i, err = kindBool, i+5, literal(data, i, "false")
	case c == 'n':
		f.kind, i, err = kindNull, i+4, literal(data, i, "null")
	case c == '-' || (c >= '0' && c <= '9'):
		f.kind = kindNumber
		i, err = scanNumber(data, i)
	default:
		return i, syntaxError(data, i, "want a value")
	}
	if err != nil {
		return i, err
	}
	f.value, f.raw = data[start:i], data[start:i]
	return i, nil
}

func literal(data []byte, i int, word string) error {
	if len(data)-i < len(word) || string(data[i:i+len(word)]) != word {
		return syntaxError(data, i, "want "+word)
	}
	return nil
}

// scanNumber checks the JSON number grammar:
// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
func scanNumber(data []byte, i int) (int, error) {
	if data[i] == '-' {
		i++
	}
	digits := func() bool {
		start := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		return i > start
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case !digits():
		return i, syntaxError(data, i, "want a digit")
	}
	if i < len(data) && data[i] == '.' {
		i++
		if !digits() {
			return i, syntaxError(data, i, "want a digit after a decimal point")
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if !digits() {
			return i, syntaxError(data, i, "want a digit in an exponent")
		}
	}
	return i, nil
}

// skipNested checks the object or array at data[i] and returns the offset
// after it.
func skipNested(data []byte, i, depth int) (int, error) {
	if depth > maxNesting {
		return i, fmt.Errorf("%w: JSON nests deeper than %d levels", ErrMalformedBody, maxNesting)
	}
	closer := byte('}')
	if data[i] == '[' {
		closer = ']'
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == closer {
		return i + 1, nil
	}
	var err error
	for {
		if closer == '}' {
			if i >= len(data) || data[i] != '"' {
				return i, syntaxError(data, i, "want a field name")
			}
			if i, err = skipString(data, i); err != nil {
				return i, err
			}
			i = skipSpace(data, i)
			if i >= len(data) || data[i] != ':' {
				return i, syntaxError(data, i, "want a colon after a field name")
			}
			i = skipSpace(data, i+1)
		}
		if i >= len(data) {
			return i, syntaxError(data, i, "want a value")
		}
		switch c := data[i]; {
		case c == '"':
			i, err = skipString(data, i)
		case c == '{' || c == '[':
			i, err = skipNested(data, i, depth+1)
		case c == 't':
			i, err = i+4, literal(data, i, "true")
		case c == 'f':
			i, err = i+5, literal(data, i, "false")
		case c == 'n':
			i, err = i+4, literal(data, i, "null")
		case c == '-' || (c >= '0' && c <= '9'):
			i, err = scanNumber(data, i)
		default:
			return i, syntaxError(data, i, "want a value")
		}
		if err != nil {
			return i, err
		}
		i = skipSpace(data, i)
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
			continue
		}
		if i < len(data) && data[i] == closer {
			return i + 1, nil
		}
		return i, syntaxError(data, i, "want a comma or a closing bracket")
	}
}

// skipString checks the JSON string at data[i] without decoding it.
func skipString(data []byte, i int) (int, error) {
	for j := i + 1; j < len(data); j++ {
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

// readString decodes the JSON string at data[i]. Without escapes or broken
// UTF-8 the text is a slice of data; otherwise it is decoded into scratch,
// with U+FFFD for invalid UTF-8 and lone surrogates, as encoding/json does.
func (st *wireState) readString(data []byte, i int) (text, raw []byte, next int, err error) {
	plain := true
	j := i + 1
	for ; j < len(data); j++ {
		c := data[j]
		if c == '"' {
			break
		}
		if c == '\\' || c >= utf8.RuneSelf {
			plain = false
			break
		}
		if c < 0x20 {
			return nil, nil, j, syntaxError(data, j, "want no control character in a string")
		}
	}
	if plain {
		if j >= len(data) {
			return nil, nil, j, syntaxError(data, j, "want the end of a string")
		}
		return data[i+1 : j], data[i : j+1], j + 1, nil
	}
	end, err := skipString(data, i)
	if err != nil {
		return nil, nil, end, err
	}
	inner := data[i+1 : end-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return inner, data[i:end], end, nil
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
	return st.scratch[start:len(st.scratch):len(st.scratch)], data[i:end], end, nil
}

// hex4 reads four hex digits at data[i], or returns -1.
func hex4(data []byte, i int) int {
	if len(data)-i < 4 {
		return -1
	}
	n := 0
	for _, c := range data[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			n = n<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			n = n<<4 | int(c-'a'+10)
		case c >= 'A' && c <= 'F':
			n = n<<4 | int(c-'A'+10)
		default:
			return -1
		}
	}
	return n
}

// scanForm reads an application/x-www-form-urlencoded body. '+' is a space,
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
			if hi, lo := unhex(s, i+1), unhex(s, i+2); hi >= 0 && lo >= 0 {
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

func unhex(s []byte, i int) int {
	if i >= len(s) {
		return -1
	}
	switch c := s[i]; {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c - 'a' + 10)
	case c >= 'A' && c <= 'F':
		return int(c - 'A' + 10)
	}
	return -1
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

// Bounds of the zone names that PHP DateTime objects carry.
const (
	// maxZoneCache is how many zones stay loaded: the time zone database
	// holds about 600, and a gateway's phones use a few.
	maxZoneCache = 512
	// maxZoneLookups is how many names one body may look up in the
	// system's time zone database, found or not.
	maxZoneLookups = 4
	// maxZoneName is the longest zone name looked up; the longest in the
	// database, America/Argentina/ComodRivadavia, has 32 bytes.
	maxZoneName = 64
)

// zoneCache keeps the locations that PHP DateTime objects named, so that
// each is loaded from the system's time zone database once. It holds at
// most maxZoneCache canonical names.
var (
	zoneCache     sync.Map // string → *time.Location
	zoneCacheSize atomic.Int64
)

// loadZone finds the location a zone name names. Only a name spelled as
// the database spells its zones is looked up (see canonicalZoneName), and
// at most maxZoneLookups names per body, so that no body can fill memory
// with spellings of one zone or cost many searches of the file system.
func (st *wireState) loadZone(name []byte) (*time.Location, bool) {
	if !canonicalZoneName(name) {
		return nil, false
	}
	key := string(name)
	if loc, ok := zoneCache.Load(key); ok {
		return loc.(*time.Location), true
	}
	if key == "Local" || st.zoneLookups >= maxZoneLookups {
		return nil, false
	}
	st.zoneLookups++
	loc, err := time.LoadLocation(key)
	if err != nil {
		return nil, false
	}
	if zoneCacheSize.Add(1) > maxZoneCache {
		zoneCacheSize.Add(-1)
	} else if _, loaded := zoneCache.LoadOrStore(key, loc); loaded {
		zoneCacheSize.Add(-1)
	}
	return loc, true
}

// canonicalZoneName reports whether name is spelled as the time zone
// database spells its zones: segments of letters, digits, '_', '-' and '+'
// joined by single slashes, the first starting with a letter ("UTC",
// "Europe/Berlin", "Etc/GMT+2", "America/Port-au-Prince"). Other spellings
// of a zone, such as "Europe//Berlin" or "./Europe/Berlin", may name the
// same file but are not looked up.
func canonicalZoneName(name []byte) bool {
	if len(name) == 0 || len(name) > maxZoneName || !isLetter(name[0]) {
		return false
	}
	for i, c := range name {
		switch {
		case isLetter(c), c >= '0' && c <= '9', c == '_', c == '-', c == '+':
		case c == '/':
			if i+1 == len(name) || name[i+1] == '/' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// readDate reads a date in any of the formats seen on the wire:
//
//	2020-08-11 16:09:53, with fractions, or without seconds
//	2020-08-11T16:09:53Z and other RFC 3339 forms, with or without a zone
//	28.03.2020 20:10:29, or without seconds
//	1597162193 and 1597162193000: Unix seconds or milliseconds
//	{"date":"2020-08-11 16:09:53.000000","timezone_type":1,"timezone":"+02:00"}
//
// A date without a zone is in loc. ok is false for anything else.
func (st *wireState) readDate(f rawField, loc *time.Location) (t time.Time, ok bool) {
	switch f.kind {
	case kindNumber:
		return epoch(f.value)
	case kindObject:
		return st.readPHPDate(f.value, loc)
	case kindString:
		v := bytes.TrimSpace(f.value)
		if len(v) > 0 && v[0] == '{' {
			return st.readPHPDate(v, loc)
		}
		if t, ok := parseDateText(v, loc); ok {
			return t, true
		}
		return epoch(v)
	}
	return time.Time{}, false
}

// epoch reads Unix seconds, or milliseconds where the number is too large
// to be seconds of this era. Times past the year 9999 are not dates.
func epoch(v []byte) (time.Time, bool) {
	n, ok := parseWhole(v)
	switch {
	case !ok || n < 0 || n >= maxUnixMilli:
		return time.Time{}, false
	case n >= 1e11: // 1e11 s is the year 5138; 1e11 ms is 1973
		return time.UnixMilli(n).UTC(), true
	}
	return time.Unix(n, 0).UTC(), true
}

// maxUnixMilli is 10000-01-01T00:00:00Z in Unix milliseconds.
const maxUnixMilli = 253402300800000

// readPHPDate reads the JSON form of a PHP DateTime object.
func (st *wireState) readPHPDate(obj []byte, loc *time.Location) (time.Time, bool) {
	var inner wireState
	inner.scratch = st.scratch[len(st.scratch):]
	if inner.scanJSON(obj) != nil {
		return time.Time{}, false
	}
	var date, zone []byte
	for _, f := range inner.fields {
		switch string(f.name) {
		case "date":
			date = f.value
		case "timezone":
			zone = f.value
		}
	}
	if date == nil {
		return time.Time{}, false
	}
	if z := bytes.TrimSpace(zone); len(z) > 0 {
		if off, ok := parseOffset(z); ok {
			loc = time.FixedZone("", off)
		} else if off, ok := offsetDigits(z); ok && zone[0] == ' ' && len(z) >= 4 {
			loc = time.FixedZone("", off) // "+02:00" whose '+' a form turned into a space
		} else if l, ok := st.loadZone(z); ok {
			loc = l
		} else {
			return time.Time{}, false // a zone we cannot place would give a wrong instant
		}
	}
	return parseDateText(bytes.TrimSpace(date), loc)
}

// parseDateText reads "YYYY-MM-DD[ T]hh:mm[:ss[.fff]][zone]" and
// "DD.MM.YYYY hh:mm[:ss]". It is written by hand rather than trying layouts
// one by one with time.Parse, which allocates on every miss.
func parseDateText(v []byte, loc *time.Location) (time.Time, bool) {
	var year, month, day int
	var ok bool
	switch {
	case len(v) >= 10 && v[4] == '-' && v[7] == '-':
		y, ok1 := digitsAt(v, 0, 4)
		m, ok2 := digitsAt(v, 5, 2)
		d, ok3 := digitsAt(v, 8, 2)
		year, month, day, ok = y, m, d, ok1 && ok2 && ok3
	case len(v) >= 10 && v[2] == '.' && v[5] == '.':
		d, ok1 := digitsAt(v, 0, 2)
		m, ok2 := digitsAt(v, 3, 2)
		y, ok3 := digitsAt(v, 6, 4)
		year, month, day, ok = y, m, d, ok1 && ok2 && ok3
	default:
		return time.Time{}, false
	}
	if !ok || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return time.Time{}, false
	}
	rest := v[10:]
	var hour, minute, sec, nsec int
	if len(rest) > 0 {
		if rest[0] != ' ' && rest[0] != 'T' && rest[0] != 't' || len(rest) < 6 || rest[3] != ':' {
			return time.Time{}, false
		}
		h, ok1 := digitsAt(rest, 1, 2)
		m, ok2 := digitsAt(rest, 4, 2)
		hour, minute = h, m
		if !ok1 || !ok2 || hour > 23 || minute > 59 {
			return time.Time{}, false
		}
		rest = rest[6:]
		if len(rest) >= 3 && rest[0] == ':' {
			if sec, ok = digitsAt(rest, 1, 2); !ok || sec > 59 {
				return time.Time{}, false
			}
			rest = rest[3:]
			if len(rest) >= 2 && (rest[0] == '.' || rest[0] == ',') {
				n := 1
				for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
					if n <= 9 {
						nsec = nsec*10 + int(rest[n]-'0')
					}
					n++
				}
				if n == 1 {
					return time.Time{}, false
				}
				for k := n; k <= 9; k++ {
					nsec *= 10
				}
				rest = rest[n:]
			}
		}
		spaced := len(rest) > 0 && rest[0] == ' '
		rest = bytes.TrimLeft(rest, " ")
		if len(rest) > 0 {
			if len(rest) == 3 && string(rest) == "UTC" || len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z') {
				loc = time.UTC
			} else if off, ok := parseOffset(rest); ok {
				loc = time.FixedZone("", off)
			} else if off, ok := offsetDigits(rest); ok && spaced && len(rest) >= 4 {
				// "+02:00" whose '+' a form turned into a space, as
				// "2025-06-02T14:10:11+02:00" sent unescaped arrives.
				loc = time.FixedZone("", off)
			} else {
				return time.Time{}, false
			}
		}
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc).UTC()
	if t.Year() < 1 || t.Year() > 9999 {
		return time.Time{}, false // a zone pushed it out of the years RFC 3339 can write
	}
	return t, true
}

// parseOffset reads a zone offset: +02:00, +0200, +02 or -05:30.
func parseOffset(v []byte) (int, bool) {
	if len(v) == 0 || (v[0] != '+' && v[0] != '-') {
		return 0, false
	}
	off, ok := offsetDigits(v[1:])
	if v[0] == '-' {
		off = -off
	}
	return off, ok
}

// offsetDigits reads the hours and minutes of a zone offset without its
// sign, in seconds: 02:00, 0200 or 02.
func offsetDigits(v []byte) (int, bool) {
	hours, ok := digitsAt(v, 0, 2)
	minutes := 0
	switch rest := v[min(2, len(v)):]; {
	case !ok:
	case len(rest) == 0:
	case len(rest) == 3 && rest[0] == ':':
		m, ok2 := digitsAt(rest, 1, 2)
		minutes, ok = m, ok2
	case len(rest) == 2:
		m, ok2 := digitsAt(rest, 0, 2)
		minutes, ok = m, ok2
	default:
		return 0, false
	}
	if !ok || hours > 14 || minutes > 59 {
		return 0, false
	}
	return (hours*60 + minutes) * 60, true
}

func digitsAt(v []byte, i, n int) (int, bool) {
	if len(v) < i+n {
		return 0, false
	}
	x := 0
	for _, c := range v[i : i+n] {
		if c < '0' || c > '9' {
			return 0, false
		}
		x = x*10 + int(c-'0')
	}
	return x, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseWhole reads a whole number: JSON number text or a string holding
// one, with surrounding spaces. A number in exponent or decimal form counts
// when its value is whole ("1e3", "12.0").
func parseWhole(v []byte) (int64, bool) {
	v = bytes.TrimSpace(v)
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
