// fixtures_test.go keeps the embedded fixtures equal to the module's
// testdata/, and checks that every one of them is a webhook the Handler
// accepts.

package smsgw24test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24"
)

const resync = "to re-sync, run from the repository root: rm smsgw24test/fixtures/*.txt && cp testdata/*.txt smsgw24test/fixtures/"

// TestFixturesMatchTestdata: fixtures/ is a copy of ../testdata/*.txt (not
// of testdata/invalid/), byte for byte, with no file more or less.
func TestFixturesMatchTestdata(t *testing.T) {
	want := readDir(t, filepath.Join("..", "testdata"))
	got := readDir(t, "fixtures")
	require.NotEmpty(t, want)
	for name, data := range want {
		copied, ok := got[name]
		if !assert.True(t, ok, "testdata/%s is missing from smsgw24test/fixtures/; %s", name, resync) {
			continue
		}
		assert.True(t, bytes.Equal(data, copied), "smsgw24test/fixtures/%s differs from testdata/%s; %s", name, name, resync)
	}
	for name := range got {
		_, ok := want[name]
		assert.True(t, ok, "smsgw24test/fixtures/%s is not in testdata/: add it there (and to fixtureEvents in payload_test.go), or remove it; %s", name, resync)
	}
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	require.NoError(t, err)
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		out[filepath.Base(f)] = data
	}
	return out
}

func TestFixtures(t *testing.T) {
	all := Fixtures()
	require.Len(t, all, len(readDir(t, "fixtures")))
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
	assert.Equal(t, map[smsgw24.Kind]int{smsgw24.KindStatus: 18, smsgw24.KindText: 33, smsgw24.KindImage: 5}, kinds)

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

func TestParseFixtureFormat(t *testing.T) {
	f, err := ParseFixture("a", []byte("Content-Type: application/json\nX-Other: 1\n\n{\"sms_id\":1}\n"))
	require.NoError(t, err)
	assert.Equal(t, Fixture{Name: "a", ContentType: "application/json", Body: []byte(`{"sms_id":1}`)}, f)

	f, err = ParseFixture("b", []byte("\n{\"sms_id\":1}\n\n"))
	require.NoError(t, err)
	assert.Equal(t, Fixture{Name: "b", Body: []byte("{\"sms_id\":1}\n")}, f, "only one newline at the end is dropped")

	_, err = ParseFixture("c", []byte("Content-Type: application/json\n{\"sms_id\":1}\n"))
	assert.ErrorContains(t, err, "no blank line")
	_, err = ParseFixture("d", []byte("not a header\n\nbody"))
	assert.ErrorContains(t, err, "colon")
}
