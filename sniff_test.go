// sniff_test.go pins how a body's format is told from its bytes and its
// Content-Type.

package smsgw24

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSniffFormat(t *testing.T) {
	tests := []struct {
		contentType, body string
		want              bodyFormat
		err               error
	}{
		{"application/json", `{"a":1}`, formatJSON, nil},
		{"application/json; charset=utf-8", `{"a":1}`, formatJSON, nil},
		{"application/vnd.gateway+json", `{"a":1}`, formatJSON, nil},
		{"application/x-www-form-urlencoded", ` {"a":1}`, formatJSON, nil},
		{"text/plain", `{"a":1}`, formatJSON, nil},
		{"", `a=1`, formatForm, nil},
		{"application/json", `a=1`, formatForm, nil},
		{"application/json", `nonsense`, formatJSON, nil},
		{"application/x-www-form-urlencoded", `a=1`, formatForm, nil},
		{"multipart/form-data; boundary=x", `--x`, formatMultipart, nil},
		{"text/plain", `a=1`, formatForm, nil},
		{"text/plain;charset=UTF-8", "sms_id=1&body=a+b%21\r\n", formatForm, nil},
		{"application/octet-stream", `sms_id=1&status_id=7`, formatForm, nil},
		{"text/plain", `a = 1`, 0, ErrUnsupportedMediaType},
		{"text/plain", `a=1&b`, 0, ErrUnsupportedMediaType},
		{"text/plain", `=1`, 0, ErrUnsupportedMediaType},
		{"text/plain", "a=1\x00", 0, ErrUnsupportedMediaType},
		{"text/plain", "a=1\nb=2", 0, ErrUnsupportedMediaType},
		{"text/plain", `hello`, 0, ErrUnsupportedMediaType},
		{";;;", `a=1`, formatForm, nil},
		// JSON encoded twice is JSON, though its text holds a '='.
		{"application/json", `"{\"a\":\"b=c\"}"`, formatJSON, nil},
		{"application/x-www-form-urlencoded", ` "{}" `, formatJSON, nil},
		{"application/json", `"unterminated`, formatJSON, nil},
		{"text/plain", `"a" "b"`, 0, ErrUnsupportedMediaType},
		// Multipart is told from its first line, under any header.
		{"application/json; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n", formatMultipart, nil},
		{"multipart/form-data", "--b\nContent-Disposition: form-data; name=\"a\"\n\n1\n--b--\n", formatMultipart, nil},
		{"", "\r\n--b  \r\ncontent-disposition: form-data; name=a\r\n\r\n1\r\n--b--", formatMultipart, nil},
		{"application/x-www-form-urlencoded", "--a=1&b=2", formatForm, nil},
		{"application/x-www-form-urlencoded", "--b\r\nno header\r\n", formatForm, nil},
		{"application/x-www-form-urlencoded", "--b<>\r\nContent-Disposition: form-data\r\n", formatForm, nil},
		{"multipart/form-data", "preamble\r\n--b\r\n", formatMultipart, nil},
	}
	for _, tt := range tests {
		got, _, err := sniffFormat(tt.contentType, []byte(tt.body))
		if tt.err != nil {
			assert.ErrorIs(t, err, tt.err)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "%q %q", tt.contentType, tt.body)
	}
}
