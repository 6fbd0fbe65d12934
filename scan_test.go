// scan_test.go checks the working memory that Parse takes from the pool
// (scan.go): fields left from an earlier body never reach the next one,
// and the fields kept in the pool point into its buffers alone.

package smsgw24

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parsePooled parses body as the Handler does: copied into the pooled
// body buffer of b, its fields listed in b's wireState.
func parsePooled(b *buffers, contentType string, body []byte) (Event, error) {
	b.body = append(b.body[:0], body...)
	var d Decoder
	return d.parse(contentType, b.body, &b.state, true)
}

// TestPooledFieldsFromAnEarlierBody parses every fixture, in turn and then
// in reverse, with one pooled wireState, whose slots still hold the
// fields of the body before: each event is still exactly its fixture's.
func TestPooledFieldsFromAnEarlierBody(t *testing.T) {
	names := make([]string, 0, len(fixtureEvents))
	for name := range fixtureEvents {
		names = append(names, name)
	}
	sort.Strings(names)
	b := bufferPool.New().(*buffers)
	for round := range 2 {
		for k := range names {
			name := names[k]
			if round == 1 {
				name = names[len(names)-1-k]
			}
			contentType, body := webhookFixture(t, name)
			got, err := parsePooled(b, contentType, body)
			require.NoError(t, err, name)
			assert.Equal(t, fixtureEvents[name], got, name)
		}
	}
}

// TestPooledFieldsPointIntoThePool: after a body, the pool keeps its fields
// only where they point into the pooled buffers; the fields of a caller's
// body, of a multipart body, of a body whose escapes grew the scratch
// buffer out of its pooled one and of a body with more fields than the
// slots hold are cleared.
func TestPooledFieldsPointIntoThePool(t *testing.T) {
	escaped := `{"sms_id":1,"status_id":6,"status_message":"` + strings.Repeat(`\u00e9`, 600) + `"}`
	var many strings.Builder
	many.WriteString(`{"sms_id":1,"status_id":6`)
	for i := range 20 {
		fmt.Fprintf(&many, `,"x%d":%d`, i, i)
	}
	many.WriteString("}")
	tests := []struct {
		name        string
		fixture     string // or body, as JSON
		body        string
		pooled      bool
		wantCleared bool
	}{
		{name: "JSON in the pooled body", fixture: "text_v2_json.txt", pooled: true, wantCleared: false},
		{name: "JSON in the caller's body", fixture: "text_v2_json.txt", pooled: false, wantCleared: true},
		{name: "multipart in the pooled body", fixture: "text_multipart.txt", pooled: true, wantCleared: true},
		{name: "escapes that grow the scratch buffer", body: escaped, pooled: true, wantCleared: true},
		{name: "more fields than the slots hold", body: many.String(), pooled: true, wantCleared: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			contentType, body := "application/json", []byte(tt.body)
			if tt.fixture != "" {
				contentType, body = webhookFixture(t, tt.fixture)
			}
			b := bufferPool.New().(*buffers)
			var err error
			if tt.pooled {
				_, err = parsePooled(b, contentType, body)
			} else {
				_, err = defaultDecoder.parse(contentType, body, &b.state, false)
			}
			require.NoError(t, err)
			if tt.wantCleared {
				assert.Zero(t, b.state.n)
				assert.Nil(t, b.state.spilled)
				assert.Equal(t, [len(b.state.inline)]rawField{}, b.state.inline)
			} else {
				assert.Positive(t, b.state.n)
			}
		})
	}
}
