// fixtures.go holds the named fixtures: webhook bodies as the gateway sends
// them, embedded from fixtures/, a copy of the module's testdata/ that a test
// keeps byte for byte equal to it.

package smsgw24test

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

//go:embed fixtures/*.txt
var fixtureFiles embed.FS

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

// loadFixtures reads the embedded fixtures once, sorted by name.
var loadFixtures = sync.OnceValue(func() []Fixture {
	files, err := fs.Glob(fixtureFiles, "fixtures/*.txt")
	if err != nil {
		panic(err)
	}
	fixtures := make([]Fixture, 0, len(files))
	for _, file := range files {
		data, err := fixtureFiles.ReadFile(file)
		if err != nil {
			panic(err)
		}
		f, err := ParseFixture(strings.TrimSuffix(path.Base(file), ".txt"), data)
		if err != nil {
			panic(err)
		}
		fixtures = append(fixtures, f)
	}
	slices.SortFunc(fixtures, func(a, b Fixture) int { return strings.Compare(a.Name, b.Name) })
	return fixtures
})

// ParseFixture reads a fixture file, in the format of the fixtures in the
// module's testdata/, for a test that keeps fixtures of its own: header
// lines such as "Content-Type: application/json", a blank line, and the
// body. A file that starts with a blank line has no headers, and one newline
// at the end of the file is not part of the body. Headers other than
// Content-Type are ignored. The fixture gets name as its Name.
func ParseFixture(name string, data []byte) (Fixture, error) {
	head, body, found := bytes.Cut(data, []byte("\n\n"))
	if bytes.HasPrefix(data, []byte("\n")) {
		head, body, found = nil, data[1:], true
	}
	if !found {
		return Fixture{}, fmt.Errorf("smsgw24test: fixture %s: no blank line after the headers", name)
	}
	f := Fixture{Name: name, Body: bytes.TrimSuffix(body, []byte("\n"))}
	if len(head) == 0 {
		return f, nil
	}
	for line := range strings.SplitSeq(string(head), "\n") {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return Fixture{}, fmt.Errorf("smsgw24test: fixture %s: header line without a colon", name)
		}
		if strings.EqualFold(strings.TrimSpace(key), "Content-Type") {
			f.ContentType = strings.TrimSpace(value)
		}
	}
	return f, nil
}

// Fixtures returns every fixture, sorted by name. Each call returns fresh
// copies, which the caller may change.
func Fixtures() []Fixture {
	all := loadFixtures()
	out := make([]Fixture, len(all))
	for i, f := range all {
		out[i] = f.clone()
	}
	return out
}

// LookupFixture returns the fixture called name (a trailing ".txt" is
// ignored), or false if there is none.
func LookupFixture(name string) (Fixture, bool) {
	name = strings.TrimSuffix(name, ".txt")
	all := loadFixtures()
	i, found := slices.BinarySearchFunc(all, name, func(f Fixture, name string) int { return strings.Compare(f.Name, name) })
	if !found {
		return Fixture{}, false
	}
	return all[i].clone(), true
}

func (f Fixture) clone() Fixture {
	f.Body = bytes.Clone(f.Body)
	return f
}
