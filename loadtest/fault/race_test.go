//go:build race

package fault

// raceEnabled: the tests run with -race, and so does the receiver they
// build.
const raceEnabled = true
