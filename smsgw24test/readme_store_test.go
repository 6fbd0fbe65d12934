// readme_store_test.go holds what the README's tests take as the user's
// own code, a store, and TestReadmeSnippets, which keeps readme_test.go
// and the README's "Testing your code" section the same.

package smsgw24test_test

import (
	"context"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24"
)

// testStore stands for the user's database: it keeps what it is given.
type testStore struct {
	mu     sync.Mutex
	events []smsgw24.Event
}

func newTestStore(t *testing.T) *testStore {
	t.Helper()
	return &testStore{}
}

func (s *testStore) save(ev smsgw24.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, ev)
	return nil
}

func (s *testStore) SaveStatus(_ context.Context, u *smsgw24.StatusUpdate) error { return s.save(u) }
func (s *testStore) SaveMessage(_ context.Context, m *smsgw24.TextMessage) error { return s.save(m) }
func (s *testStore) SaveImage(_ context.Context, m *smsgw24.ImageMessage) error  { return s.save(m) }

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// TestReadmeSnippets: every Go block of the README's "Testing your code"
// section stands in readme_test.go as it is, and nothing else does.
func TestReadmeSnippets(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## Testing your code\n")
	require.True(t, ok, "the README has a section \"Testing your code\"")
	section, _, _ = strings.Cut(section, "\n## ")
	var blocks []string
	for _, m := range goBlock.FindAllStringSubmatch(section, -1) {
		blocks = append(blocks, m[1])
	}
	require.Len(t, blocks, 3)

	code, err := os.ReadFile("readme_test.go")
	require.NoError(t, err)
	_, tests, ok := strings.Cut(string(code), "\npackage smsgw24test_test\n\n")
	require.True(t, ok)
	assert.Equal(t, strings.Join(blocks, "\n"), tests, "readme_test.go and the README differ")
}
