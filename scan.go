// scan.go holds what the byte-level readers of a webhook body share: the
// raw field they produce, their limits, and the pooled working memory of
// one Parse call. The readers are scanjson.go and jsonstring.go (JSON),
// form.go (forms and multipart), sniff.go (which of them a body is),
// date.go and number.go (values); none of them knows what a field means,
// which fields.go decides.
//
// # Invariants
//
// A maintainer changing a reader keeps these true; the fuzz targets named
// below fail when one breaks.
//
//   - Aliasing. A rawField's name, value and raw are slices of the body, of
//     wireState.scratch (strings with escapes, form values with %XX or '+',
//     which the readers decode into it), or of the JSON text of a body
//     encoded twice, itself in scratch. The body belongs to the caller and
//     scratch goes back to the pool once the event is built, so everything
//     that outlives Parse is copied out of them first: record.set copies with
//     string(...), record.keep with bytes.Clone or appendJSONString. A new
//     field must do the same. Multipart values are the one exception: they
//     are read into fresh memory.
//   - Trust. Decoding trusts the checks made before it: readString decodes
//     escapes without checking them again, since skipString has already
//     checked the whole string; readPHPDate and readValue take a nested
//     value's text as checked by skipNested.
//   - Limits. maxFields is enforced in wireState.next, the one way a field
//     is listed, whatever the encoding; maxNesting in skipNested, the one
//     place that descends into a nested value; maxMultiparts in
//     scanMultipart. The Handler's body cap bounds everything else.
//   - Raw forms. Form and multipart values have no raw form (raw is nil),
//     so Extra keeps them as JSON strings written by appendJSONString. A
//     JSON value always has one; in a body encoded twice it is the literal
//     inside the decoded text.
//   - Safety net. FuzzScanJSON holds the JSON scanner to encoding/json
//     (the same verdict on every input, the same strings); FuzzPlainRun
//     holds the string scan, eight bytes at a time, to the byte-by-byte
//     one; FuzzScanForm holds the form reader to net/url; FuzzParseWhole
//     holds number reading to math/big; FuzzDateText holds date reading
//     to the time package; FuzzParse and FuzzServeHTTP hold
//     the whole path to its promises (no panic, no echo, a round trip
//     through MarshalJSON).

package smsgw24

import (
	"bytes"
	"fmt"
	"sync"
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
}

// Limits of the scanners: the gateway sends flat objects of about ten
// fields, so anything far beyond is not one of its bodies.
const (
	maxFields     = 256 // fields in one body
	maxNesting    = 32  // depth of a nested JSON value
	maxMultiparts = 256 // parts of a multipart body
)

// wireState is the working memory of one Parse call: the fields the
// readers list, and the scratch buffer they decode into. Parse takes its
// wireState from the pool, with the request's body buffer (see buffers),
// rather than clearing a new one on its stack for every body: the slots
// may still hold an earlier body's fields, and each reader fills the whole
// of the slot it is given. The fields of a body that the pooled buffers
// hold point into them alone, so they are left as they are; those that
// point elsewhere are forgotten when Parse returns (release).
type wireState struct {
	inline  [16]rawField // the first fields, enough for the gateway's bodies
	n       int          // how many fields are listed
	spilled []rawField   // every field, once there are more than inline holds
	scratch []byte       // decoded strings with escapes point in here
}

// reset makes st ready for the next body, keeping its scratch buffer.
func (st *wireState) reset() {
	st.n, st.spilled, st.scratch = 0, nil, st.scratch[:0]
}

// release forgets the fields listed, so that the pool does not keep alive
// what they point to, nor a list of fields grown past the slots.
func (st *wireState) release() {
	clear(st.inline[:min(st.n, len(st.inline))])
	st.n, st.spilled = 0, nil
}

// fields returns the fields listed so far.
func (st *wireState) fields() []rawField {
	if st.spilled != nil {
		return st.spilled
	}
	return st.inline[:st.n]
}

// buffers are the working memory of one request that outlives none of
// it: the body as the Handler reads it, and the wireState that Parse lists
// the body's fields in and decodes into. One pool keeps them together.
type buffers struct {
	body  []byte
	state wireState
}

// maxPooledBuffer is the largest body or scratch buffer kept for later
// requests; a larger one is let go rather than kept forever.
const maxPooledBuffer = 64 << 10

var bufferPool = sync.Pool{New: func() any {
	return &buffers{body: make([]byte, 0, initialBodyBuffer), state: wireState{scratch: make([]byte, 0, 512)}}
}}

func getBuffers() *buffers { return bufferPool.Get().(*buffers) }

// putBuffers gives back b, with the buffers its users grew, unless one of
// them grew too large to keep.
func putBuffers(b *buffers) {
	if cap(b.body) > maxPooledBuffer || cap(b.state.scratch) > maxPooledBuffer {
		return
	}
	b.body = b.body[:0]
	bufferPool.Put(b)
}

// next lists one more field and returns its slot, for a reader to fill in
// place, all of it; it is where maxFields holds.
func (st *wireState) next() (*rawField, error) {
	if n := st.n; n < len(st.inline) {
		st.n = n + 1
		return &st.inline[n], nil // perhaps an earlier body's: the reader fills all of it
	}
	return st.nextSpilled()
}

// nextSpilled is next once the fields no longer fit in place.
func (st *wireState) nextSpilled() (*rawField, error) {
	if st.n >= maxFields {
		return nil, fmt.Errorf("%w: more than %d fields", ErrMalformedBody, maxFields)
	}
	st.n++
	if st.spilled == nil {
		st.spilled = append(make([]rawField, 0, 4*len(st.inline)), st.inline[:]...)
	}
	st.spilled = append(st.spilled, rawField{})
	return &st.spilled[st.n-1], nil
}

// add lists one field, through next.
func (st *wireState) add(f rawField) error {
	slot, err := st.next()
	if err != nil {
		return err
	}
	*slot = f
	return nil
}

// trimSpace is bytes.TrimSpace, quicker for the common value that has no
// space at either end.
func trimSpace(v []byte) []byte {
	if len(v) == 0 || noSpace(v[0]) && noSpace(v[len(v)-1]) {
		return v
	}
	return bytes.TrimSpace(v)
}

// noSpace reports whether c is ASCII, neither space nor a control
// character: no byte that bytes.TrimSpace trims, nor the start of one.
func noSpace(c byte) bool { return c-0x21 < utf8.RuneSelf-0x21 }
