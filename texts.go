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
	end   [numTexts]int  // where each text ends in the string of join
}

func (t *texts) set(field int, value []byte, plus bool) {
	t.value[field], t.plus[field] = value, plus
}

// setPhone sets a phone number, as phoneNumber reads it.
func (t *texts) setPhone(field int, value []byte) {
	t.value[field], t.plus[field] = phoneDigits(value)
}

// join copies the texts out of the body into one string, whose parts
// [texts.get] returns.
func (t *texts) join() string {
	n := 0
	for i := range t.value {
		n += len(t.value[i])
		if t.plus[i] {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(n)
	for i := range t.value {
		if t.plus[i] {
			b.WriteByte('+')
		}
		b.Write(t.value[i])
		t.end[i] = b.Len()
	}
	return b.String()
}

// get returns text field of all, the string of join. The event's fields
// are sliced from it in place, rather than returned in an array to be
// copied: a copy read back right after it was written waits on the stores,
// which costs more than the rest of the work here when the stack is cold.
func (t *texts) get(all string, field int) string {
	start := 0
	if field > 0 {
		start = t.end[field-1]
	}
	return all[start:t.end[field]]
}
