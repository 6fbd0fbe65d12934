// form_test.go pins the form and multipart readers: escapes, names, which
// parts count, and how an error names its place; FuzzScanForm holds the
// form reader to net/url.

package smsgw24

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMultipartParts: which parts count, and how a multipart error names
// its place.
func TestMultipartParts(t *testing.T) {
	part := func(disposition, contentType, value string) string {
		s := "--b\r\nContent-Disposition: " + disposition + "\r\n"
		if contentType != "" {
			s += "Content-Type: " + contentType + "\r\n"
		}
		return s + "\r\n" + value + "\r\n"
	}
	const sms = `form-data; name="sms_id"`
	tests := []struct {
		name, body string
		want       Event
	}{
		{"form-data", part(sms, "", "7"), &TextMessage{SMSID: 7}},
		{"attachment", part(`attachment; name="sms_id"`, "", "7"), &TextMessage{SMSID: 7}},
		{"inline", part(`inline; name="sms_id"`, "", "7"), &TextMessage{SMSID: 7}},
		{"upper-case disposition", part(`Form-Data; NAME="sms_id"`, "", "7"), &TextMessage{SMSID: 7}},
		{"file of text", part(`form-data; name="sms_id"; filename="sms_id"`, "", "7\n"), &TextMessage{SMSID: 7}},
		{"file of octets", part(`form-data; name="sms_id"; filename="blob"`, "application/octet-stream", "7"), &TextMessage{SMSID: 7}},
		{"file name in RFC 2231", part(`form-data; name="sms_id"; filename*=UTF-8''%C3%A9.txt`, "", "7"), &TextMessage{SMSID: 7}},
		{"text file of UTF-8", part(sms, "", "7") + part(`form-data; name="body"; filename="b.txt"`, "text/plain", "Olá\r\n\tok"),
			&TextMessage{SMSID: 7, Body: "Olá\r\n\tok"}},
		{"binary file skipped", part(sms, "", "7") + part(`form-data; name="body"; filename="b.bin"`, "", "a\x00b"), &TextMessage{SMSID: 7}},
		{"invalid UTF-8 file skipped", part(sms, "", "7") + part(`form-data; name="body"; filename="b"`, "", "\xff"), &TextMessage{SMSID: 7}},
		{"large file skipped", part(sms, "", "7") + part(`form-data; name="body"; filename="b"`, "", strings.Repeat("a", maxFilePartBytes+1)),
			&TextMessage{SMSID: 7}},
		{"file at the limit kept", part(sms, "", "7") + part(`form-data; name="body"; filename="b"`, "", strings.Repeat("a", maxFilePartBytes)),
			&TextMessage{SMSID: 7, Body: strings.Repeat("a", maxFilePartBytes)}},
		{"value of form-data beyond the file limit", part(sms, "", "7") + part(`form-data; name="body"`, "", strings.Repeat("a", maxFilePartBytes+1)),
			&TextMessage{SMSID: 7, Body: strings.Repeat("a", maxFilePartBytes+1)}},
		{"other disposition skipped", part(sms, "", "7") + part(`signal; name="body"`, "", "x"), &TextMessage{SMSID: 7}},
		{"unreadable disposition skipped", part(sms, "", "7") + part(`form-data; name=`, "", "x"), &TextMessage{SMSID: 7}},
	}
	for _, tt := range tests {
		for _, contentType := range []string{"multipart/form-data; boundary=b", "multipart/form-data", "application/json; boundary=b"} {
			ev, err := Parse(contentType, []byte(tt.body+"--b--\r\n"))
			require.NoError(t, err, "%s under %s", tt.name, contentType)
			assert.Equal(t, tt.want, ev, "%s under %s", tt.name, contentType)
		}
	}

	body := part(sms, "", "7") + part(`form-data; name="body"`, "", "x") + "--b\r\nno colon\r\n\r\n--b--\r\n"
	_, err := Parse("", []byte(body))
	require.ErrorIs(t, err, ErrMalformedBody)
	assert.Contains(t, err.Error(), fmt.Sprintf("part 3 at byte %d", strings.LastIndex(body, "--b\r\nno colon")))
	assert.Equal(t, 0, delimiterOffset([]byte(body), "b", 0))
	assert.Equal(t, len(body), delimiterOffset([]byte(body), "b", 9))
	assert.Equal(t, 8, delimiterOffset([]byte("x--b\r\ny\n--b\r\n"), "b", 0), "a delimiter starts a line")
}

func TestFormEscapes(t *testing.T) {
	ev, err := Parse("application/x-www-form-urlencoded", []byte("sms_id=1&body=100%+sure%2C+50%25%zz%&&=x&address"))
	require.NoError(t, err)
	msg := ev.(*TextMessage)
	assert.Equal(t, "100% sure, 50%%zz%", msg.Body, "a '%' that starts no escape is kept")
	assert.Equal(t, "", msg.Address)
	assert.Equal(t, Extra{"": json.RawMessage(`"x"`)}, msg.Extra)
}

func TestFormNamesAreTrimmed(t *testing.T) {
	ev, err := Parse("application/x-www-form-urlencoded", []byte("  sms_id=1&\r\nstatus_id=7&+sendto+=+79001234567\r\n"))
	require.NoError(t, err)
	assert.Equal(t, &StatusUpdate{SMSID: 1, Status: StatusDelivered, SendTo: "+79001234567"}, ev)
}

// FuzzScanForm holds the form decoder to net/url wherever url.ParseQuery
// accepts the body.
func FuzzScanForm(f *testing.F) {
	addFixtureSeeds(f, func(_ string, body []byte) { f.Add(body) })
	f.Add([]byte("a=1&a=2&b=%2B1+2&&c&=d&e=%41%zz"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var st wireState
		err := st.scanForm(data)
		want, urlErr := url.ParseQuery(string(data))
		if urlErr != nil || err != nil {
			return // url is stricter about '%' and ';'; we keep what it rejects
		}
		// Space around a name is no part of it for us, unlike for net/url.
		trimmed := url.Values{}
		for name, values := range want {
			name = strings.TrimSpace(name)
			trimmed[name] = append(trimmed[name], values...)
		}
		got := url.Values{}
		for _, field := range st.fields() {
			got[string(field.name)] = append(got[string(field.name)], string(field.value))
		}
		if len(trimmed) == len(want) {
			assert.Equal(t, trimmed, got)
			return
		}
		// Names that differ only in space merged: the values are the same,
		// though their order across those names may differ.
		require.Len(t, got, len(trimmed))
		for name, values := range trimmed {
			assert.ElementsMatch(t, values, got[name], "name %q", name)
		}
	})
}
