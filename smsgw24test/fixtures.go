// fixtures.go holds the named fixtures: webhook bodies as the gateway sends
// them, one for every variant, generation and encoding it is known to send.
// They and the reader of their format live in the module's
// internal/fixture, the one copy the module's own tests read too; this file
// hands them out.

package smsgw24test

import (
	"fmt"

	"github.com/go-smsgw24/smsgw24/internal/fixture"
)

// Fixture is one webhook body as the gateway sends it, with the Content-Type
// it comes with.
type Fixture struct {
	// Name says what the fixture shows, such as "status_v1_json" or
	// "text_v2_form_plus_lost": the kind of event, the generation of the
	// gateway's documents (v1 older, v2 newer), the encoding and the oddity.
	Name string
	// ContentType is the request's Content-Type; "" for a body sent
	// without one.
	ContentType string
	// Body is the request body.
	Body []byte
}

// ParseFixture reads a fixture file, in the format of the fixtures that
// [Fixtures] returns, for a test that keeps fixtures of its own: header
// lines such as "Content-Type: application/json", a blank line, and the
// body. A file that starts with a blank line has no headers, and one newline
// at the end of the file is not part of the body. Headers other than
// Content-Type are ignored. The fixture gets name as its [Fixture.Name].
func ParseFixture(name string, data []byte) (Fixture, error) {
	f, err := fixture.Parse(name, data)
	if err != nil {
		return Fixture{}, fmt.Errorf("smsgw24test: %w", err)
	}
	return Fixture(f), nil
}

// Fixtures returns every fixture, sorted by name. Each call returns fresh
// copies, which the caller may change.
func Fixtures() []Fixture {
	all := fixture.All()
	out := make([]Fixture, len(all))
	for i, f := range all {
		out[i] = Fixture(f)
	}
	return out
}

// LookupFixture returns the fixture called name (a trailing ".txt" is
// ignored), or false if there is none.
func LookupFixture(name string) (Fixture, bool) {
	f, ok := fixture.Lookup(name)
	return Fixture(f), ok
}
