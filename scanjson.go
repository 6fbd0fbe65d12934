// scanjson.go is the JSON scanner: it checks that a body is one JSON
// object (or a JSON string holding one, an object encoded twice) and lists
// its fields as raw fields. It is written for the gateway's flat objects:
// nested values are checked and kept whole, their fields are not listed.
// Its invariants are in scan.go.

package smsgw24

import (
	"fmt"
)

// syntaxError reports a JSON body that is not valid JSON. It names the
// offset, never the body's text.
func syntaxError(data []byte, i int, what string) error {
	if i >= len(data) {
		return fmt.Errorf("%w: JSON ends too early, %s", ErrMalformedBody, what)
	}
	return fmt.Errorf("%w: JSON has an unexpected character at byte %d, %s", ErrMalformedBody, i, what)
}

func skipSpace(data []byte, i int) int {
	if i < len(data) && data[i] > ' ' {
		return i // the common case: no space at all
	}
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

// scanJSON reads a body that must be one JSON object and lists its fields.
// Nested values are checked and kept whole; their fields are not listed.
func (st *wireState) scanJSON(data []byte) error {
	i := skipSpace(data, 0)
	if i < len(data) && data[i] == '[' {
		return fmt.Errorf("%w: JSON is an array, want one object", ErrMalformedBody)
	}
	if i >= len(data) || data[i] != '{' {
		return syntaxError(data, i, "want an object")
	}
	end, err := st.scanMembers(data, i, nil)
	if err != nil {
		return err
	}
	return jsonEnd(data, end)
}

// scanMembers reads the object or array at data[i] one level deep, calling
// fn with each member (an array's elements have no name), and returns the
// offset after it. A nil fn lists the members as the body's fields
// instead, each read straight into its place (wireState.next). It is the one
// loop over members that reads them; the webhook scanner and the reader of
// the REST API's answers share it.
func (st *wireState) scanMembers(data []byte, i int, fn func(rawField) error) (int, error) {
	open := data[i]
	closer, want := byte('}'), "want a comma or the end of the object"
	if open == '[' {
		closer, want = ']', "want a comma or the end of the array"
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == closer {
		return i + 1, nil
	}
	var member rawField
	for {
		f := &member
		var err error
		if fn == nil {
			if f, err = st.next(); err != nil {
				return i, err
			}
		} else {
			member = rawField{}
		}
		if open == '{' {
			if i >= len(data) || data[i] != '"' {
				return i, syntaxError(data, i, "want a field name")
			}
			j, ascii := plainRun(data, i+1)
			if j < len(data) && data[j] == '"' && ascii {
				f.name, i = data[i+1:j], j+1 // the common name: ASCII, no escape
			} else if f.name, i, err = st.finishString(data, i, j, ascii); err != nil {
				return i, err
			}
			if i < len(data) && data[i] == ':' {
				i++
			} else {
				if i = skipSpace(data, i); i >= len(data) || data[i] != ':' {
					return i, syntaxError(data, i, "want a colon after a field name")
				}
				i++
			}
			i = skipSpace(data, i)
		} else {
			f.name = nil // an element of an array
		}
		if i, err = st.readValue(data, i, f); err != nil {
			return i, err
		}
		if fn != nil {
			if err := fn(member); err != nil {
				return i, err
			}
		}
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1) // the common end of a member
			continue
		}
		var more bool
		if i, more, err = nextMember(data, i, closer, want); !more {
			return i, err
		}
	}
}

// nextMember reads what follows a member of an object or array: a comma,
// and more members follow at next, or closer, and the object or array
// ends before next.
func nextMember(data []byte, i int, closer byte, want string) (next int, more bool, err error) {
	i = skipSpace(data, i)
	if i < len(data) && data[i] == ',' {
		return skipSpace(data, i+1), true, nil
	}
	if i < len(data) && data[i] == closer {
		return i + 1, false, nil
	}
	return i, false, syntaxError(data, i, want)
}

// jsonEnd checks that nothing but space follows a JSON value ending at
// data[i].
func jsonEnd(data []byte, i int) error {
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
	text, end, err := st.readString(data, i)
	if err != nil {
		return err
	}
	if err := jsonEnd(data, end); err != nil {
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
// after it. A string is decoded; any other value is checked and kept as
// its literal.
func (st *wireState) readValue(data []byte, i int, f *rawField) (int, error) {
	if i < len(data) && data[i] == '"' {
		j, ascii := plainRun(data, i+1)
		if j < len(data) && data[j] == '"' && ascii {
			// The common string: ASCII, no escape.
			f.kind, f.value, f.raw = kindString, data[i+1:j], data[i:j+1]
			return j + 1, nil
		}
		value, end, err := st.finishString(data, i, j, ascii)
		if err == nil {
			f.kind, f.value, f.raw = kindString, value, data[i:end] // the literal, quotes included
		}
		return end, err
	}
	if i < len(data) && data[i]-'1' < 9 {
		// The common number: whole, not negative, without a leading zero.
		j := i + 1
		for j < len(data) && data[j]-'0' < 10 {
			j++
		}
		if j >= len(data) || data[j] != '.' && data[j] != 'e' && data[j] != 'E' {
			f.kind, f.value, f.raw = kindNumber, data[i:j], data[i:j]
			return j, nil
		}
	}
	kind, end, err := skipValue(data, i, 0)
	if err != nil {
		return end, err
	}
	f.kind, f.value, f.raw = kind, data[i:end], data[i:end]
	return end, nil
}

// skipValue checks the JSON value at data[i], depth levels deep, and
// returns its kind and the offset after it. It is the one dispatch on a
// value's first byte, for the fields of the body and for the values nested
// in them.
func skipValue(data []byte, i, depth int) (valueKind, int, error) {
	if i >= len(data) {
		return 0, i, syntaxError(data, i, "want a value")
	}
	switch c := data[i]; {
	case c == '"':
		end, err := skipString(data, i)
		return kindString, end, err
	case c == '{':
		end, err := skipNested(data, i, depth+1)
		return kindObject, end, err
	case c == '[':
		end, err := skipNested(data, i, depth+1)
		return kindArray, end, err
	case c == 't':
		return kindBool, i + 4, literal(data, i, "true")
	case c == 'f':
		return kindBool, i + 5, literal(data, i, "false")
	case c == 'n':
		return kindNull, i + 4, literal(data, i, "null")
	case c == '-' || (c >= '0' && c <= '9'):
		end, err := scanNumber(data, i)
		return kindNumber, end, err
	}
	return 0, i, syntaxError(data, i, "want a value")
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

// skipNested checks the object or array at data[i], the depth-th level of
// nesting, and returns the offset after it. It is where maxNesting holds.
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
		if _, i, err = skipValue(data, i, depth); err != nil {
			return i, err
		}
		var more bool
		if i, more, err = nextMember(data, i, closer, "want a comma or a closing bracket"); !more {
			return i, err
		}
	}
}
