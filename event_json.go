// event_json.go writes events as JSON with the gateway's field names,
// Extra's fields included, so that Parse reads them back to equal events.

package smsgw24

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// MarshalJSON writes the update as the gateway does, with channel_id, the
// time in RFC 3339, and the fields of Extra.
func (e *StatusUpdate) MarshalJSON() ([]byte, error) {
	w := jsonWriter{extra: e.Extra}
	w.int("sms_id", e.SMSID)
	w.int("status_id", int64(e.Status))
	w.str("status_message", e.StatusMessage)
	w.str("sendto", e.SendTo)
	w.time("senttime", e.SentTime)
	w.int("channel_id", int64(e.Channel))
	w.int("device_id", e.DeviceID)
	return w.finish(), nil
}

// MarshalJSON writes the message as the gateway's newer documents show it,
// with type "text", channel_id, times in RFC 3339, and the fields of Extra.
func (e *TextMessage) MarshalJSON() ([]byte, error) {
	return messageJSON("text", e, nil), nil
}

// MarshalJSON writes the message as the gateway's newer documents show it,
// with type "img", channel_id, times in RFC 3339, and the fields of Extra.
func (e *ImageMessage) MarshalJSON() ([]byte, error) {
	shared := TextMessage{SMSID: e.SMSID, Address: e.Address, Body: e.Body, Date: e.Date, DateSent: e.DateSent,
		InternalID: e.InternalID, Channel: e.Channel, DeviceID: e.DeviceID, DeviceName: e.DeviceName, Extra: e.Extra}
	return messageJSON("img", &shared, &e.ImageURL), nil
}

// messageJSON writes the fields that text and image messages share, and
// img_url for an image. A type that Extra kept (one no document shows)
// is written in place of typ, so that it survives a round trip.
func messageJSON(typ string, m *TextMessage, imageURL *string) []byte {
	w := jsonWriter{extra: m.Extra}
	w.int("sms_id", m.SMSID)
	if !w.fromExtra("type") {
		w.str("type", typ)
	}
	w.str("address", m.Address)
	w.str("body", m.Body)
	w.time("date", m.Date)
	w.time("date_sent", m.DateSent)
	if imageURL != nil {
		w.str("img_url", *imageURL)
	}
	w.int("internal_id", m.InternalID)
	w.int("channel_id", int64(m.Channel))
	w.int("device_id", m.DeviceID)
	w.str("device_name", m.DeviceName)
	return w.finish()
}

// jsonWriter writes one flat JSON object: the typed fields first, then
// what Extra holds. A field of Extra with the name of a typed field stands
// in for a zero value (a date that could not be read is written back as it
// came).
type jsonWriter struct {
	buf   []byte
	extra Extra
	done  []string
}

func (w *jsonWriter) key(name string) {
	if len(w.buf) == 0 {
		w.buf = append(make([]byte, 0, 256), '{')
	} else {
		w.buf = append(w.buf, ',')
	}
	w.buf = appendJSONString(w.buf, []byte(name))
	w.buf = append(w.buf, ':')
}

// fromExtra writes Extra's value for name, if it has one, in place of a
// zero value.
func (w *jsonWriter) fromExtra(name string) bool {
	raw, ok := w.extra[name]
	if !ok {
		return false
	}
	w.key(name)
	w.buf = append(w.buf, raw...)
	w.done = append(w.done, name)
	return true
}

func (w *jsonWriter) int(name string, v int64) {
	if v == 0 && w.fromExtra(name) {
		return
	}
	w.key(name)
	w.buf = strconv.AppendInt(w.buf, v, 10)
}

func (w *jsonWriter) str(name, v string) {
	if v == "" && w.fromExtra(name) {
		return
	}
	w.key(name)
	w.buf = appendJSONString(w.buf, []byte(v))
}

func (w *jsonWriter) time(name string, t time.Time) {
	if t.IsZero() {
		if !w.fromExtra(name) {
			w.key(name)
			w.buf = append(w.buf, "null"...)
		}
		return
	}
	w.key(name)
	w.buf = append(w.buf, '"')
	w.buf = t.UTC().AppendFormat(w.buf, time.RFC3339Nano)
	w.buf = append(w.buf, '"')
}

func (w *jsonWriter) finish() []byte {
	names := make([]string, 0, len(w.extra))
	for name := range w.extra {
		if !slices.Contains(w.done, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		if raw := w.extra[name]; json.Valid(raw) {
			w.key(name)
			w.buf = append(w.buf, raw...)
		}
	}
	if len(w.buf) == 0 {
		return []byte("{}")
	}
	return append(w.buf, '}')
}

// appendJSONString writes s as a JSON string. Invalid UTF-8 becomes
// U+FFFD, as encoding/json writes it.
func appendJSONString(buf, s []byte) []byte {
	const hexDigits = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c == '\n':
				buf = append(buf, '\\', 'n')
			case c == '\r':
				buf = append(buf, '\\', 'r')
			case c == '\t':
				buf = append(buf, '\\', 't')
			case c < 0x20:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, `\ufffd`...)
		} else {
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}
