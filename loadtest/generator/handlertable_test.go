//go:build linux

// handlertable_test.go checks -handler-table: the CPU lists it reads, the
// command line and median it prints, and a short whole run of the built
// generator.

package main

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseCPUList(t *testing.T) {
	for _, tc := range []struct {
		list string
		want []int
	}{
		{"0", []int{0}},
		{"0-1", []int{0, 1}},
		{"0-3,8,10-11", []int{0, 1, 2, 3, 8, 10, 11}},
		{"5,2", []int{5, 2}},
	} {
		got, err := parseCPUList(tc.list)
		require.NoError(t, err, tc.list)
		require.Equal(t, tc.want, got, tc.list)
	}
	for _, bad := range []string{"", "a", "1-", "3-1", "-1", "0,,1"} {
		_, err := parseCPUList(bad)
		require.Error(t, err, "%q", bad)
	}
}

func TestShellLine(t *testing.T) {
	require.Equal(t, `/tmp/generator -handler-table -duration 10s -token 'a b' 'it'\''s'`,
		shellLine([]string{"/tmp/generator", "-handler-table", "-duration", "10s", "-token", "a b", "it's"}))
}

func TestMedian(t *testing.T) {
	require.Equal(t, 2.0, median([]float64{3, 1, 2}))
	require.Equal(t, 2.5, median([]float64{4, 1, 3, 2}))
	require.Equal(t, 7.0, median([]float64{7}))
}

// TestHandlerTable runs -handler-table for a moment with the built
// generator, as scripts/loadtest.sh does: it prints a row per round with
// both rates and their ratio, the medians, and a row per target without
// an error. It asserts no speed.
func TestHandlerTable(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "generator")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)

	cmd := exec.Command(bin, "-handler-table", "-duration", "1s", "-rounds", "2", "-c", "4")
	cmd.Env = append(cmd.Environ(), "LOADTEST_COMMAND=scripts/loadtest.sh -handler-table -duration 1s -rounds 2 -c 4")
	out, err = cmd.Output()
	require.NoError(t, err, "stdout:\n%s", out)
	for _, line := range []string{
		`(?m)^machine: .+, nproc \d+, go\S+ linux/\w+$`,
		`(?m)^command: scripts/loadtest.sh -handler-table -duration 1s -rounds 2 -c 4$`,
		`(?m)^generator: \S+ -handler-table -duration 1s -rounds 2 -c 4$`,
		`(?m)^(pinning: servers with taskset -c \d+ .*|WARNING: not pinned, .*)$`,
		`(?m)^1 +\d+ +\d+ +\d\.\d{3}$`,
		`(?m)^2 +\d+ +\d+ +\d\.\d{3}$`,
		`(?m)^median +\d+ +\d+ +\d\.\d{3}$`,
		`(?m)^empty handler +\d+ +\S+ +\S+ +0 +\S+ +\d+% +\d+%$`,
		`(?m)^smsgw24\.Handler +\d+ +\S+ +\S+ +0 +\S+ +\d+% +\d+%$`,
		`(?m)^the Handler serves \d+\.\d% of the empty handler's requests per second`,
		`(?m)^PASS$`,
	} {
		require.Regexp(t, line, string(out))
	}
}
