// fields_test.go pins what fields mean: which kind of event a body is, and
// how a phone number's lost "+" comes back.

package smsgw24

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPhoneNumber(t *testing.T) {
	tests := map[string]string{
		" 79001234567":   "+79001234567",
		"  79001234567 ": "+79001234567",
		"+79001234567":   "+79001234567",
		"79001234567":    "79001234567",
		" MTN":           "MTN",
		"airtel":         "airtel",
		" 7900 123":      "7900 123",
		"":               "",
		" ":              "",
	}
	for in, want := range tests {
		assert.Equal(t, want, phoneNumber([]byte(in)), "%q", in)
	}
}

func TestTypeClassification(t *testing.T) {
	tests := []struct {
		body string
		want Kind
	}{
		{`{"sms_id":1,"type":"img"}`, KindImage},
		{`{"sms_id":1,"type":"IMAGE"}`, KindImage},
		{`{"sms_id":1,"img_url":"https://x/y.jpg"}`, KindImage},
		{`{"sms_id":1,"img_url":""}`, KindText},
		{`{"sms_id":1,"type":"text"}`, KindText},
		{`{"sms_id":1}`, KindText},
		{`{"sms_id":1,"type":"img","status_id":6}`, KindStatus},
		// status_id null, empty or 5 beside a message's fields.
		{`{"sms_id":1,"status_id":null,"type":"text","address":"+1","body":"x"}`, KindText},
		{`{"sms_id":1,"status_id":" ","body":"x"}`, KindText},
		{`{"sms_id":1,"status_id":5,"address":"+1"}`, KindText},
		{`{"sms_id":1,"status_id":"5","type":"img"}`, KindImage},
		{`{"sms_id":1,"status_id":"incoming","img_url":"https://x/y.jpg"}`, KindImage},
		{`{"sms_id":1,"status_id":5.0,"body":""}`, KindText},
		{`{"sms_id":1,"status_id":7,"status_id":null,"body":"x"}`, KindText},
		{`{"sms_id":1,"status_id":5}`, KindStatus},
		{`{"sms_id":1,"status_id":5,"status_message":"x","sendto":"+1"}`, KindStatus},
		{`{"sms_id":1,"status_id":7,"address":"+1","body":"x"}`, KindStatus},
		{`{"sms_id":1,"status_id":null,"status_id":7,"body":"x"}`, KindStatus},
	}
	for _, tt := range tests {
		ev, err := Parse("application/json", []byte(tt.body))
		require.NoError(t, err, tt.body)
		assert.Equal(t, tt.want, ev.Kind(), tt.body)
	}
	// A status body whose status_id is null or empty, or not a status,
	// stays a status update without one.
	for _, body := range []string{`{"sms_id":1,"status_id":null}`, `{"sms_id":1,"status_id":"","sendto":"+1"}`} {
		_, err := Parse("application/json", []byte(body))
		var fe *FieldError
		require.ErrorAs(t, err, &fe, body)
		assert.ErrorIs(t, err, ErrMissingField)
		assert.Equal(t, "status_id", fe.Field)
	}
	_, err := Parse("application/json", []byte(`{"sms_id":1,"status_id":"x","body":"x"}`))
	assert.ErrorIs(t, err, ErrInvalidField)
	// Of several spellings of status_id, a message keeps the last, which
	// made it a message, and marshals to a message again.
	ev, err := Parse("application/json", []byte(`{"sms_id":1,"status_id":7,"STATUS_ID":5,"body":"x"}`))
	require.NoError(t, err)
	assert.Equal(t, &TextMessage{SMSID: 1, Body: "x", Extra: Extra{"STATUS_ID": json.RawMessage(`5`)}}, ev)
	data, err := json.Marshal(ev)
	require.NoError(t, err)
	back, err := Parse("application/json", data)
	require.NoError(t, err)
	assert.Equal(t, ev, back)
	// A type no document shows is kept, not dropped.
	ev, err = Parse("application/json", []byte(`{"sms_id":1,"type":"video","SMS_ID":2}`))
	require.NoError(t, err)
	assert.Equal(t, &TextMessage{SMSID: 2, Extra: Extra{"type": json.RawMessage(`"video"`)}}, ev)
}

// FuzzASCIIEqualFold holds asciiEqualFold to strings.EqualFold, for the
// ASCII words it is called with, against any bytes.
func FuzzASCIIEqualFold(f *testing.F) {
	for _, seed := range []string{"img", "IMG", "Image", "imag", "ımg", "\u212amg", "text", "tExT", "true", "fAlSe", ""} {
		f.Add([]byte(seed))
	}
	words := []string{"img", "image", "text", "true", "false", "sms_id", "Status_ID"}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, w := range words {
			want := len(b) == len(w) && strings.EqualFold(string(b), w)
			if got := asciiEqualFold(b, w); got != want {
				t.Fatalf("asciiEqualFold(%q, %q) = %v, strings.EqualFold says %v", b, w, got, want)
			}
		}
	})
}
