// backends_test.go runs the receiver in-process with the backends of
// -dedup and -inbox that need no server (SQLite files), and checks the
// callback log and the refusal of flags that do not fit.

package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// callbackLines reads the callback log at path as "STEP KEY" lines, after
// checking that each names this process and a time.
func callbackLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var lines []string
	for line := range strings.Lines(string(data)) {
		f := strings.Fields(line)
		require.Len(t, f, 4, line)
		assert.Equal(t, strconv.Itoa(os.Getpid()), f[2])
		_, err := strconv.ParseInt(f[3], 10, 64)
		assert.NoError(t, err, line)
		lines = append(lines, f[0]+" "+f[1])
	}
	return lines
}

func TestReceiverDedupSQLite(t *testing.T) {
	dir := t.TempDir()
	cblog := filepath.Join(dir, "callbacks.log")
	base, _ := start(t, "-token", "secret", "-dedup", "sqlite:"+filepath.Join(dir, "dedup.db"), "-callback-log", cblog)
	ct, body := fixture(t, "status_v2_json.txt")
	for range 2 {
		code, answer := post(t, base+"/smsgw24?token=secret", ct, body)
		require.Equal(t, http.StatusOK, code, answer)
	}
	s := getStats(t, base)
	assert.Equal(t, int64(1), s.Callbacks)
	assert.Equal(t, int64(1), s.DuplicatesSkipped)
	assert.Equal(t, []string{"start status:3281468:6", "done status:3281468:6", "commit status:3281468:6"}, callbackLines(t, cblog))
}

func TestReceiverInboxSQLite(t *testing.T) {
	dir := t.TempDir()
	cblog := filepath.Join(dir, "callbacks.log")
	base, _ := start(t, "-token", "secret", "-inbox", "sqlite:"+filepath.Join(dir, "inbox.db"), "-callback-log", cblog)
	ct, body := fixture(t, "text_v2_json.txt")
	for range 2 {
		code, answer := post(t, base+"/smsgw24?token=secret", ct, body)
		require.Equal(t, http.StatusOK, code, answer)
	}
	require.Eventually(t, func() bool { return getStats(t, base).Callbacks == 1 }, time.Minute, 20*time.Millisecond,
		"the stored event is delivered")
	lines := callbackLines(t, cblog)
	require.Len(t, lines, 2)
	assert.Regexp(t, `^start text:\d+:\d+$`, lines[0])
	assert.Equal(t, "done"+strings.TrimPrefix(lines[0], "start"), lines[1])
}

func TestReceiverBackendFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-dedup", "mysql://localhost/x"},
		{"-dedup", "sqlite:" + filepath.Join(t.TempDir(), "d.db"), "-inbox", "sqlite:" + filepath.Join(t.TempDir(), "i.db")},
		{"-inbox", "mysql://localhost/x"},
		{"-callback-log", filepath.Join(t.TempDir(), "no", "such", "dir.log")},
	} {
		var log strings.Builder
		code := run(context.Background(), append([]string{"-addr", "127.0.0.1:0", "-token", "x"}, args...), io.Discard, &log)
		assert.Equal(t, 1, code, "%q: %s", args, log.String())
	}
}
