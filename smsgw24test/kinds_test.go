// kinds_test.go holds every kind of event to the test kit: fixtures of the
// kind, and request bodies that Parse reads back to the same event in
// every encoding (doc.go of package smsgw24 lists what a new kind needs).

package smsgw24test_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

func TestEveryKindHasFixtures(t *testing.T) {
	byKind := map[smsgw24.Kind]smsgw24.Event{}
	for _, f := range smsgw24test.Fixtures() {
		ev, err := smsgw24.Parse(f.ContentType, f.Body)
		require.NoError(t, err, f.Name)
		byKind[ev.Kind()] = ev
	}
	for _, kind := range smsgw24.Kinds() {
		ev, ok := byKind[kind]
		require.True(t, ok, "no fixture of kind %s", kind)
		for _, opts := range []smsgw24test.RequestOptions{{}, {Form: true}, {Legacy: true}, {Form: true, Legacy: true}} {
			contentType, body := smsgw24test.Encode(ev, opts)
			back, err := smsgw24.Parse(contentType, body)
			require.NoError(t, err, "%s %+v", kind, opts)
			assert.Equal(t, kind, back.Kind(), "%s %+v", kind, opts)
			assert.Equal(t, ev.ID(), back.ID(), "%s %+v", kind, opts)
		}
	}
}
