package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/inbox"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// deadLetterInbox makes a SQLite inbox with one dead letter and returns its
// dsn and the dead letter's id.
func deadLetterInbox(t *testing.T) (string, int64) {
	t.Helper()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "inbox.db")
	ib, err := inbox.Open(t.Context(), dsn, inbox.Handlers{
		OnEvent:     func(context.Context, smsgw24.Event) error { return errors.New("crm down\nfor maintenance") },
		MaxAttempts: 1,
	})
	require.NoError(t, err)
	defer ib.Close()
	require.NoError(t, ib.Store(t.Context(), &smsgw24.TextMessage{SMSID: 42, DeviceID: 7, Body: "secret text"}))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- ib.Run(ctx) }()
	var dead []inbox.DeadLetter
	require.Eventually(t, func() bool {
		dead, err = ib.DeadLetters(t.Context())
		return err == nil && len(dead) == 1
	}, 3*time.Minute, 20*time.Millisecond)
	cancel()
	require.NoError(t, <-done)
	return dsn, dead[0].ID
}

func TestListAndReplay(t *testing.T) {
	dsn, id := deadLetterInbox(t)

	require.Equal(t, int64(1), id, "the first event of a new inbox")

	code, out, errOut := runCmd(t, "list", "-dsn", dsn)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "ID  ATTEMPTS  EVENT      LAST ERROR\n"+
		"1   1         text:7:42  crm down for maintenance\n", out)
	assert.Equal(t, "1 dead letters\n", errOut)
	assert.NotContains(t, out, "secret text", "no message text")

	t.Setenv(dsnEnv, dsn)
	code, out, errOut = runCmd(t, "replay", fmt.Sprint(id))
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, fmt.Sprintf("replayed %d\n", id), out)

	code, _, errOut = runCmd(t, "replay", fmt.Sprint(id))
	assert.Equal(t, exitError, code, "no longer a dead letter")
	assert.Contains(t, errOut, "not a dead letter")

	code, out, _ = runCmd(t, "list")
	require.Equal(t, exitOK, code)
	assert.Equal(t, "ID  ATTEMPTS  EVENT  LAST ERROR\n", out)
}

func TestReplayAll(t *testing.T) {
	dsn, id := deadLetterInbox(t)
	code, out, errOut := runCmd(t, "replay", "-dsn", dsn, "-all")
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, fmt.Sprintf("replayed %d\n", id), out)
}

func TestUsageErrors(t *testing.T) {
	t.Setenv(dsnEnv, "")
	missing := "sqlite:" + filepath.Join(t.TempDir(), "none.db")
	for _, tc := range []struct {
		args []string
		code int
	}{
		{nil, exitUsage},
		{[]string{"purge"}, exitUsage},
		{[]string{"list"}, exitUsage},
		{[]string{"list", "-dsn", missing, "3"}, exitUsage},
		{[]string{"replay", "-dsn", missing}, exitUsage},
		{[]string{"replay", "-dsn", missing, "-all", "3"}, exitUsage},
		{[]string{"replay", "-dsn", missing, "x"}, exitUsage},
		{[]string{"list", "-dsn", missing}, exitError},
		{[]string{"list", "-dsn", "mysql://u:pw@h/db"}, exitError},
	} {
		code, _, errOut := runCmd(t, tc.args...)
		assert.Equal(t, tc.code, code, "%q: %s", tc.args, errOut)
		assert.NotContains(t, errOut, "pw@", "%q", tc.args)
	}
	code, out, _ := runCmd(t, "help")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, usageText, out)
}
