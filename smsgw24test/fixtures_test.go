// fixtures_test.go checks that every fixture is a webhook that Parse
// accepts, that callers get copies, and that ParseFixture reads the
// fixtures' format with errors of this package.

package smsgw24test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24"
)

func TestFixtures(t *testing.T) {
	all := Fixtures()
	assert.True(t, slices.IsSortedFunc(all, func(a, b Fixture) int { return strings.Compare(a.Name, b.Name) }))
	kinds := map[smsgw24.Kind]int{}
	for _, f := range all {
		assert.NotContains(t, f.Name, ".")
		assert.NotEmpty(t, f.Body, f.Name)
		assert.False(t, bytes.HasSuffix(f.Body, []byte("\n")) && !bytes.HasSuffix(f.Body, []byte("\r\n")),
			"%s: the file's last newline is not part of the body", f.Name)
		ev, err := smsgw24.Parse(f.ContentType, f.Body)
		require.NoError(t, err, f.Name)
		assert.True(t, strings.HasPrefix(f.Name, string(ev.Kind())), "%s decodes to a %s", f.Name, ev.Kind())
		kinds[ev.Kind()]++
	}
	assert.Equal(t, map[smsgw24.Kind]int{smsgw24.KindStatus: 18, smsgw24.KindText: 34, smsgw24.KindImage: 5}, kinds)

	f, ok := LookupFixture("status_json_no_content_type")
	require.True(t, ok)
	assert.Empty(t, f.ContentType)
	f, ok = LookupFixture("text_multipart.txt")
	require.True(t, ok)
	assert.Equal(t, "multipart/form-data; boundary=----gw24", f.ContentType)
	assert.True(t, bytes.HasSuffix(f.Body, []byte("------gw24--\r\n")), "a multipart body ends in CRLF, as a sender posts it")
	_, ok = LookupFixture("no_such_fixture")
	assert.False(t, ok)
}

// TestFixturesAreCopies: what a caller does to a fixture does not reach the
// next caller.
func TestFixturesAreCopies(t *testing.T) {
	f, ok := LookupFixture("status_v1_json")
	require.True(t, ok)
	want := bytes.Clone(f.Body)
	f.Body[0] = 'X'
	Fixtures()[0].Body[0] = 'X'
	again, _ := LookupFixture("status_v1_json")
	assert.Equal(t, want, again.Body)
	assert.NotEqual(t, byte('X'), Fixtures()[0].Body[0])
}

// TestParseFixture: the format itself is pinned in internal/fixture; here,
// that ParseFixture reads it and its errors say where they come from.
func TestParseFixture(t *testing.T) {
	f, err := ParseFixture("a", []byte("Content-Type: application/json\nX-Other: 1\n\n{\"sms_id\":1}\n"))
	require.NoError(t, err)
	assert.Equal(t, Fixture{Name: "a", ContentType: "application/json", Body: []byte(`{"sms_id":1}`)}, f)

	f, err = ParseFixture("c", []byte("Content-Type: application/json\n{\"sms_id\":1}\n"))
	assert.Equal(t, Fixture{}, f)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "smsgw24test: fixture c: "), err.Error())
}
