// scanjson_test.go pins the JSON scanner's limits and holds it to
// encoding/json by fuzzing.

package smsgw24

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTooManyFields(t *testing.T) {
	var b strings.Builder
	b.WriteString("sms_id=1")
	for range maxFields {
		b.WriteString("&x=1")
	}
	_, err := Parse("", []byte(b.String()))
	assert.ErrorIs(t, err, ErrMalformedBody)
}

// FuzzScanJSON holds the JSON scanner to encoding/json: it accepts exactly
// the JSON objects that encoding/json accepts (but for the nesting and
// field limits), and reads the same values from them.
func FuzzScanJSON(f *testing.F) {
	addFixtureSeeds(f, func(_ string, body []byte) { f.Add(body) })
	for _, seed := range []string{
		`{"a":"\ud83d\ude00","b":"\ud800x","c":"\udc00\ud800","\u00e9":1}`,
		`{"a":[1,{"b":null}],"c":-0.5e+10,"d":true,"e":false}`,
		"{\"a\":\"\xff\xfe\"}", `{"a":"\u12"}`, `{"a":01}`, `{"a":1.}`, `{"a":-}`, `{} `, ` {"a":1}x`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var st wireState
		err := st.scanJSON(data)
		var want map[string]json.RawMessage
		jsonErr := json.Unmarshal(data, &want)
		isObject := jsonErr == nil && want != nil
		if err != nil {
			if isObject && !strings.Contains(err.Error(), "nests deeper") && !strings.Contains(err.Error(), "more than") {
				t.Fatalf("rejected a JSON object encoding/json accepts: %v", err)
			}
			return
		}
		require.True(t, isObject, "accepted what encoding/json rejects (%v)", jsonErr)
		got := map[string]rawField{}
		for _, field := range st.fields() {
			got[string(field.name)] = field
		}
		require.Len(t, got, len(want))
		for name, raw := range want {
			field, ok := got[name]
			require.True(t, ok, "field %q", name)
			if field.kind == kindString {
				var s string
				require.NoError(t, json.Unmarshal(raw, &s))
				require.Equal(t, s, string(field.value), "field %q", name)
			} else {
				require.Equal(t, string(raw), string(field.value), "field %q", name)
			}
		}
	})
}
