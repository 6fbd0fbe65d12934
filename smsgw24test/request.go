// request.go builds webhook requests as the gateway sends them: Encode
// writes an event's body, as JSON or as a form, in either generation of the
// gateway's documents; NewRequest and NewFixtureRequest wrap an event's body
// or a fixture in an incoming request for a Handler.

package smsgw24test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/go-smsgw24/smsgw24"
)

// Content types of the bodies [Encode] writes.
const (
	contentTypeJSON = "application/json"
	contentTypeForm = "application/x-www-form-urlencoded"
)

// dateLayout is how the gateway writes dates: without a zone, in the
// phone's local time. Fractions of a second, which it does not send, are
// added only when a time has them.
const dateLayout = "2006-01-02 15:04:05.999999999"

// RequestOptions say how to build a request. The zero value builds what
// the newer gateway documents show: a JSON body with channel_id and type,
// posted to "/" without a token.
//
// URL and Token apply to every request; Form, Legacy, EscapePlus and
// Location shape the body of an event, and do not change a fixture, which is
// sent as it is.
type RequestOptions struct {
	// URL is the target, as for [httptest.NewRequest]: a path such as
	// "/smsgw24" or an absolute URL. "" means "/".
	URL string

	// Token, if set, is put in the URL's token query parameter, where the
	// gateway sends the secret of the webhook URL a user configured, and
	// where [smsgw24.Token] looks for it. It replaces a token already in URL.
	Token string

	// Form sends an event as application/x-www-form-urlencoded, as some
	// real deployments do, instead of JSON. A form carries only text:
	// values in the event's Extra that are not JSON strings arrive as
	// strings (null as ""), and [smsgw24.Parse] keeps them so.
	Form bool

	// Legacy writes an event as the older generation of the gateway's
	// documents shows it: the slot in sim instead of channel_id, and a text
	// message without a type field. Images, which only the newer documents
	// show, keep "type": "img".
	Legacy bool

	// EscapePlus escapes the leading "+" of a phone number (address,
	// sendto) in a form body. The gateway leaves it unescaped, so that it
	// decodes as a space, which [smsgw24.Parse] turns back into "+"; set
	// EscapePlus to send a correctly escaped form instead.
	EscapePlus bool

	// Location is the zone of the phone's clock: dates are written in it,
	// without a zone ("2025-06-02 14:10:11"), as the gateway writes them.
	// nil means UTC, which is where a [smsgw24.Handler] without a Location
	// reads them. Set it to [smsgw24.Handler.Location] for the dates to read
	// back as the same instants.
	//
	// A local time that names two instants, in the hour repeated when the
	// clocks go back, is written with its offset
	// ("2025-10-26 02:30:00+01:00"), so that it reads back as the same
	// instant as well.
	Location *time.Location
}

// Encode writes the body that the gateway sends for ev, and its
// Content-Type, as opts say (URL and Token are not used). The fields are
// those of ev's MarshalJSON, with the gateway's names, and the fields of
// its [smsgw24.Extra] after them; dates are written as the gateway writes
// them, without a zone. The body decodes with [smsgw24.Parse], and with a
// [smsgw24.Handler] whose Location is [RequestOptions.Location], to an
// event equal to ev (for a form, up to the Extra values that a form turns
// into text).
//
// An event that does not validate, such as one without SMSID, is written
// all the same, to test how a Handler answers it. Encode panics if ev is
// nil.
func Encode(ev smsgw24.Event, opts RequestOptions) (contentType string, body []byte) {
	if ev == nil {
		panic("smsgw24test: Encode of a nil event")
	}
	fields := eventFields(ev, opts)
	if opts.Form {
		return contentTypeForm, formBody(fields, opts.EscapePlus)
	}
	return contentTypeJSON, jsonBody(fields)
}

// NewRequest returns an incoming POST request carrying ev as the gateway
// sends it, ready for [smsgw24.Handler.ServeHTTP] or [Recorder.Serve], as
// [httptest.NewRequest] returns one. It panics if ev is nil or opts.URL
// cannot be parsed.
//
// The request is for a handler, not for an [http.Client]; to post ev to a
// server, send the body and Content-Type of [Encode].
func NewRequest(ev smsgw24.Event, opts RequestOptions) *http.Request {
	contentType, body := Encode(ev, opts)
	return newRequest(contentType, body, opts)
}

// NewFixtureRequest returns an incoming POST request carrying the fixture
// called name, with its Content-Type, to opts.URL with opts.Token. It
// panics if there is no such fixture (see [Fixtures]) or opts.URL cannot be
// parsed.
func NewFixtureRequest(name string, opts RequestOptions) *http.Request {
	f, ok := LookupFixture(name)
	if !ok {
		panic(fmt.Sprintf("smsgw24test: no fixture named %q", name))
	}
	return newRequest(f.ContentType, f.Body, opts)
}

func newRequest(contentType string, body []byte, opts RequestOptions) *http.Request {
	target, err := targetURL(opts.URL, opts.Token)
	if err != nil {
		panic(err)
	}
	r := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

// targetURL returns rawURL ("" meaning "/") with token in its token query
// parameter, replacing any token there; with token "", rawURL is returned as
// it is.
func targetURL(rawURL, token string) (string, error) {
	if rawURL == "" {
		rawURL = "/"
	}
	if token == "" {
		return rawURL, nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("smsgw24test: the URL cannot be parsed: %w", err)
	}
	q := u.Query()
	q.Set("token", token)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// field is one wire field, its value as raw JSON.
type field struct {
	name  string
	value json.RawMessage
}

// eventFields lists the wire fields of ev in the order of its MarshalJSON,
// with the changes opts ask for.
func eventFields(ev smsgw24.Event, opts RequestOptions) []field {
	data, err := ev.MarshalJSON()
	if err != nil {
		panic(fmt.Sprintf("smsgw24test: %T.MarshalJSON: %v", ev, err))
	}
	fields, err := splitObject(data)
	if err != nil {
		panic(fmt.Sprintf("smsgw24test: %T.MarshalJSON wrote no flat object: %v", ev, err))
	}

	// The typed dates are written as the gateway writes them; a zero one
	// stays null, or the value Extra held in its place.
	dates := map[string]time.Time{}
	var extra smsgw24.Extra
	switch e := ev.(type) {
	case *smsgw24.StatusUpdate:
		dates["senttime"], extra = e.SentTime, e.Extra
	case *smsgw24.TextMessage:
		dates["date"], dates["date_sent"], extra = e.Date, e.DateSent, e.Extra
	case *smsgw24.ImageMessage:
		dates["date"], dates["date_sent"], extra = e.Date, e.DateSent, e.Extra
	}
	_, channelInExtra := extra["channel_id"]
	_, typeInExtra := extra["type"] // a type no document shows, written in place of "text"
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	typed := map[string]bool{} // the first field of each name is the typed one
	out := fields[:0]
	for _, f := range fields {
		first := !typed[f.name]
		typed[f.name] = true
		if first {
			if t, ok := dates[f.name]; ok && !t.IsZero() {
				f.value, _ = json.Marshal(formatDate(t, loc))
			}
			if opts.Legacy {
				switch {
				case f.name == "channel_id" && !channelInExtra:
					f.name = "sim"
				case f.name == "type" && ev.Kind() == smsgw24.KindText && !typeInExtra:
					continue
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// formatDate writes t as the gateway writes dates, in the local time of
// loc and without a zone; with the offset when that local time is
// ambiguous.
func formatDate(t time.Time, loc *time.Location) string {
	local := t.In(loc)
	if ambiguous(local) {
		return local.Format(dateLayout + "-07:00")
	}
	return local.Format(dateLayout)
}

// ambiguous reports whether the local time of t (in t's location) names
// two instants: t falls in the hour (or however long) that a change to a
// smaller offset repeats, before the change or after it.
func ambiguous(t time.Time) bool {
	_, offset := t.Zone()
	start, end := t.ZoneBounds()
	if !start.IsZero() {
		// After a change back: the first part of this period repeats the
		// wall clock of the end of the one before.
		_, before := start.Add(-time.Nanosecond).Zone()
		if before > offset && t.Sub(start) < time.Duration(before-offset)*time.Second {
			return true
		}
	}
	if !end.IsZero() {
		// Before a change back: the last part of this period is repeated.
		_, after := end.Zone()
		if after < offset && end.Sub(t) <= time.Duration(offset-after)*time.Second {
			return true
		}
	}
	return false
}

// splitObject lists the fields of a flat JSON object in order.
func splitObject(data []byte) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not an object")
	}
	var fields []field
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, err
		}
		fields = append(fields, field{name, value})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the object")
	}
	return fields, nil
}

func jsonBody(fields []field) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(f.name)
		b.Write(name)
		b.WriteByte(':')
		b.Write(f.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// formBody writes fields as a form. A JSON string becomes its text, null
// an empty value, and any other value its JSON text. The leading "+" of a
// phone number stays unescaped unless escapePlus is set.
func formBody(fields []field, escapePlus bool) []byte {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(f.name))
		b.WriteByte('=')
		var text string
		switch {
		case string(f.value) == "null":
		case len(f.value) > 0 && f.value[0] == '"':
			_ = json.Unmarshal(f.value, &text)
		default:
			text = string(f.value)
		}
		if (f.name == "address" || f.name == "sendto") && !escapePlus && isPhoneNumber(text) {
			b.WriteByte('+')
			text = text[1:]
		}
		b.WriteString(url.QueryEscape(text))
	}
	return []byte(b.String())
}

// isPhoneNumber reports whether s is "+" and digits, the shape whose "+"
// the gateway leaves unescaped in a form and Parse restores.
func isPhoneNumber(s string) bool {
	if len(s) < 2 || s[0] != '+' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
