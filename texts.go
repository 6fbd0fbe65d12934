// texts.go holds texts, which gathers the text fields of one body (status
// message, numbers, body, device name, image URL) and copies them out of
// the body into one string, so that an event costs one allocation for all
// of its texts rather than one each.

package smsgw24

import "strings"

// The text fields of an event.
const (
	textStatusMessage = iota
	textSendTo
	textAddress
	textBody
	textDeviceName
	textImageURL
	numTexts
)

// texts gathers the text fields of one body as the readers left them (in
// the body or the scratch buffer), so that they become one string, one
// allocation, rather than one each. An event's text fields then share that
// string's memory.
type texts struct {
	value [numTexts][]byte
	plus  [numTexts]bool // a "+" goes before the value: a phone number's, lost in a form
}

func (t *texts) set(field int, value []byte, plus bool) {
	t.value[field], t.plus[field] = value, plus
}

// setPhone sets a phone number, as phoneNumber reads it.
func (t *texts) setPhone(field int, value []byte) {
	t.value[field], t.plus[field] = phoneDigits(value)
}

// strings copies the texts out of the body into one string and returns
// them as parts of it.
func (t *texts) strings() (out [numTexts]string) {
	n := 0
	for i := range t.value {
		n += len(t.value[i])
		if t.plus[i] {
			n++
		}
	}
	if n == 0 {
		return out
	}
	var b strings.Builder
	b.Grow(n)
	var ends [numTexts]int
	for i := range t.value {
		if t.plus[i] {
			b.WriteByte('+')
		}
		b.Write(t.value[i])
		ends[i] = b.Len()
	}
	all, start := b.String(), 0
	for i := range out {
		out[i], start = all[start:ends[i]], ends[i]
	}
	return out
}
