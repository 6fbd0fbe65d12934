package main

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInboxMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	code, stdout, stderr := runCmd(t, "inbox", "list")
	assert.Equal(t, exitFailed, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, inboxInstall)
}

func TestInboxRunsSmsgw24Inbox(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in smsgw24-inbox is a shell script")
	}
	dir := t.TempDir()
	script := "#!/bin/sh\necho \"args: $*\"\necho oops >&2\nexit 3\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, inboxProgram), []byte(script), 0o755))
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	code, stdout, stderr := runCmd(t, "inbox", "replay", "-dsn", "sqlite:x.db", "7")
	assert.Equal(t, 3, code, "its exit code")
	assert.Equal(t, "args: replay -dsn sqlite:x.db 7\n", stdout)
	assert.Equal(t, "oops\n", stderr)
}
