// answer.go reads the REST API's JSON answers with the JSON scanner of
// scanjson.go and the value readers of date.go and number.go, so that an answer gets the tolerance
// a webhook gets: numbers as strings, null anywhere, PHP DateTime objects,
// a lost "+", unknown fields ignored. It adds what answers have and
// webhooks do not: objects and arrays nested in the answer, walked on
// demand, and collections of any size.

package smsgw24

import (
	"bytes"
	"slices"
	"strings"
	"time"
)

// answerFields is one JSON object of an answer, its fields in wire order.
type answerFields []rawField

// get returns the first field called name, in any case.
func (fs answerFields) get(name string) (rawField, bool) {
	for _, f := range fs {
		if asciiEqualFold(f.name, name) {
			return f, true
		}
	}
	return rawField{}, false
}

// text returns the field as text: a string, or a number's digits; "" when
// absent, null, or neither.
func (fs answerFields) text(name string) string {
	f, _ := fs.get(name)
	switch f.kind {
	case kindString, kindNumber:
		return string(f.value)
	}
	return ""
}

// whole returns the field as a whole number; 0 when absent, null or not a
// whole number.
func (fs answerFields) whole(name string) int64 {
	f, _ := fs.get(name)
	n, _ := wholeValue(&f)
	return n
}

// flag returns the field as a bool: true, 1, "1" or "true" are true;
// anything else, absent or null is false.
func (fs answerFields) flag(name string) bool {
	f, _ := fs.get(name)
	return flagValue(f)
}

func flagValue(f rawField) bool {
	switch f.kind {
	case kindBool:
		return string(f.value) == "true"
	case kindNumber, kindString:
		if n, ok := parseWhole(f.value); ok {
			return n != 0
		}
		return f.kind == kindString && asciiEqualFold(bytes.TrimSpace(f.value), "true")
	}
	return false
}

// answerReader reads one answer. Its scratch holds the strings whose
// escapes were decoded; the fields it returns point into it and into the
// answer's bytes.
type answerReader struct {
	st  wireState
	loc *time.Location // where a date without a zone is read
}

// object reads the JSON object data. An object with more fields than
// maxFields is read all the same: collections in answers are as long as
// the account's history.
func (ar *answerReader) object(data []byte) (answerFields, error) {
	var fields answerFields
	err := ar.walk(data, '{', func(f rawField) error {
		fields = append(fields, f)
		return nil
	})
	return fields, err
}

// entries returns the objects of a collection: an object keyed by id
// strings, as PHP writes an array with keys, or an array, which is how PHP
// writes one without keys, and an empty one ("[]"). Each entry comes with
// its key ("" in an array). An entry that is not an object is skipped; a
// collection that is neither gives none.
func (ar *answerReader) entries(f rawField) (keys []string, objs []answerFields) {
	data := f.value
	switch f.kind {
	case kindObject, kindArray:
	case kindString: // JSON text inside a string
		data = bytes.TrimSpace(data)
	default:
		return nil, nil
	}
	if len(data) == 0 {
		return nil, nil
	}
	_ = ar.walk(data, data[0], func(e rawField) error {
		if e.kind != kindObject {
			return nil
		}
		if obj, err := ar.object(e.value); err == nil {
			keys = append(keys, string(e.name))
			objs = append(objs, obj)
		}
		return nil
	})
	return keys, objs
}

// walk calls fn for each member of the object or array at data, which must
// start with open ('{' or '['), and checks that nothing follows it. An
// array's elements have no name.
func (ar *answerReader) walk(data []byte, open byte, fn func(rawField) error) error {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != open {
		if open == '[' {
			return syntaxError(data, i, "want an array")
		}
		return syntaxError(data, i, "want an object")
	}
	end, err := ar.st.scanMembers(data, i, fn)
	if err != nil {
		return err
	}
	return jsonEnd(data, end)
}

// time reads a date field: a PHP DateTime object with an offset or a zone
// name, or any format a webhook's date may have. It is zero when absent,
// null or unreadable, and otherwise in UTC.
func (ar *answerReader) time(fs answerFields, name string) time.Time {
	f, ok := fs.get(name)
	if !ok {
		return time.Time{}
	}
	dates := dateReader{loc: ar.loc, scratch: ar.st.scratch[len(ar.st.scratch):]}
	t, _ := dates.read(&f)
	return t
}

// envelope is what every answer carries: whether it reports an error, and
// its message.
type envelope struct {
	failed  bool
	message string
}

// readEnvelope reads error and message. error is a number, a string, a
// bool or absent; the answer succeeded when it is absent, null, 0, false
// or empty. A text that is no number and no bool ("Token not found") is a
// failure, and stands in for a missing message.
func readEnvelope(fs answerFields) envelope {
	e := envelope{message: strings.TrimSpace(fs.text("message"))}
	f, ok := fs.get("error")
	if !ok {
		return e
	}
	switch f.kind {
	case kindBool, kindNumber:
		e.failed = flagValue(f)
	case kindString:
		v := bytes.TrimSpace(f.value)
		if n, ok := parseWhole(v); ok {
			e.failed = n != 0
			break
		}
		if len(v) == 0 || asciiEqualFold(v, "false") {
			break
		}
		e.failed = true
		if !asciiEqualFold(v, "true") && e.message == "" {
			e.message = string(v)
		}
	case kindObject, kindArray:
		e.failed = true // {"error":{"code":...}}: no success looks like that
	}
	return e
}

// byID sorts records by their id, ascending.
func byID[T any](items []T, id func(*T) int64) {
	slices.SortStableFunc(items, func(a, b T) int {
		x, y := id(&a), id(&b)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
}
