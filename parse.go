// parse.go holds Parse and Decoder: the one path from a webhook body to an
// Event, through the readers of the body's format (sniff.go, scanjson.go,
// form.go), the meaning of its fields (fields.go) and validation.

package smsgw24

import (
	"bytes"
	"time"
)

// Decoder reads webhook bodies. Its zero value is ready to use and reads
// dates without a zone as UTC.
type Decoder struct {
	// Location is where a date without a zone is read, for a gateway whose
	// phones report local time. nil means UTC. Parsed times are always
	// returned in UTC.
	Location *time.Location
}

var defaultDecoder Decoder

// Parse decodes one webhook body the way the gateway sends it, reading a
// date without a zone as UTC. It is [Decoder.Parse] of the zero Decoder.
func Parse(contentType string, body []byte) (Event, error) {
	return defaultDecoder.Parse(contentType, body)
}

// Parse decodes one webhook body.
//
// The body may be JSON (also JSON encoded twice, as one JSON string),
// application/x-www-form-urlencoded or multipart; the body wins over a
// wrong or missing Content-Type. Which event it is follows from its fields:
// status_id makes a *StatusUpdate, type "img" (or an img_url) an
// *ImageMessage, anything else a *TextMessage. A status_id that is null,
// empty or 5 (StatusIncoming) in a body with a message's fields (address,
// body, type or img_url) is that message, and is kept in its [Extra].
//
// Numbers may be JSON numbers or strings, any field may be null, a phone
// number whose "+" became a space gets it back, and dates are read in every
// format seen on the wire. A field that is merely odd never fails the
// body: it is kept in the event's Extra. Only what identifies the event
// fails it: a missing or unusable sms_id, or for a status update status_id.
//
// The errors wrap [ErrEmptyBody], [ErrMalformedBody], [ErrUnsupportedMediaType],
// [ErrMissingField] or [ErrInvalidField].
func (d *Decoder) Parse(contentType string, body []byte) (Event, error) {
	buf := getBuffers()
	defer putBuffers(buf)
	return d.parse(contentType, body, &buf.state, false)
}

// parse is Parse, listing the body's fields in st and decoding into its
// scratch buffer, which it may grow. pooled says that body is in the
// pooled buffers that st is part of.
func (d *Decoder) parse(contentType string, body []byte, st *wireState, pooled bool) (Event, error) {
	// A byte order mark before JSON may be ignored (RFC 8259), and so it is.
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if len(trimSpace(body)) == 0 {
		return nil, ErrEmptyBody
	}
	format, boundary, err := sniffFormat(contentType, body)
	if err != nil {
		return nil, err
	}
	st.reset()
	scratchCap := cap(st.scratch)
	defer func() {
		// Fields that may point outside the pooled buffers (into the
		// caller's body, a multipart body's values, or a scratch buffer
		// that grew out of its pooled one), or more of them than the
		// slots hold, which the pool would keep until the next body.
		if !pooled || format == formatMultipart || cap(st.scratch) != scratchCap || st.spilled != nil {
			st.release()
		}
	}()
	switch format {
	case formatJSON:
		err = st.scanJSONBody(body)
	case formatForm:
		err = st.scanForm(body)
	case formatMultipart:
		err = st.scanMultipart(body, boundary)
	}
	if err != nil {
		return nil, err
	}
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	dates := dateReader{loc: loc, scratch: st.scratch[len(st.scratch):]}
	ev, err := assemble(st.fields(), &dates)
	if err != nil {
		return nil, err
	}
	if err := ev.Validate(); err != nil {
		return nil, err
	}
	return ev, nil
}
