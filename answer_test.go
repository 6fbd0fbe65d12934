// answer_test.go pins how an answer's envelope is read: error as a number,
// a string, a bool, null, an object or absent.

package smsgw24

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadEnvelope(t *testing.T) {
	tests := []struct {
		body string
		want envelope
	}{
		{`{"count":2,"device":[]}`, envelope{}},
		{`{"error":0,"message":"Ok"}`, envelope{message: "Ok"}},
		{`{"error":"0","message":"OK"}`, envelope{message: "OK"}},
		{`{"error":false}`, envelope{}},
		{`{"error":"false"}`, envelope{}},
		{`{"error":null}`, envelope{}},
		{`{"error":""}`, envelope{}},
		{`{"error":1,"message":"Wrong login"}`, envelope{true, "Wrong login"}},
		{`{"error":"1","message":" Wrong token "}`, envelope{true, "Wrong token"}},
		{`{"ERROR":2}`, envelope{true, ""}},
		{`{"error":true}`, envelope{true, ""}},
		{`{"error":"true"}`, envelope{true, ""}},
		{`{"error":"Token expired"}`, envelope{true, "Token expired"}},
		{`{"error":"Token not found","message":"no"}`, envelope{true, "no"}},
		{`{"error":{"code":5}}`, envelope{true, ""}},
	}
	for _, tt := range tests {
		var ar answerReader
		fields, err := ar.object([]byte(tt.body))
		require.NoError(t, err, tt.body)
		assert.Equal(t, tt.want, readEnvelope(fields), tt.body)
	}
}

func TestFlagValue(t *testing.T) {
	for body, want := range map[string]bool{
		`{"v":true}`: true, `{"v":1}`: true, `{"v":"1"}`: true, `{"v":"true"}`: true, `{"v":" TRUE "}`: true,
		`{"v":false}`: false, `{"v":0}`: false, `{"v":"0"}`: false, `{"v":null}`: false, `{"v":"yes please"}`: false, `{}`: false,
	} {
		var ar answerReader
		fields, err := ar.object([]byte(body))
		require.NoError(t, err)
		assert.Equal(t, want, fields.flag("v"), body)
	}
}
