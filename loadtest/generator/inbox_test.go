//go:build linux

// inbox_test.go checks -inbox-table: its baseline, River's own inserts on
// a fresh SQLite file and PostgreSQL database, and a short whole run.

package main

import (
	"context"
	"database/sql"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24/internal/realserver"
)

func TestMain(m *testing.M) { realserver.Main(m) }

// countJobs counts the jobs River inserted in the SQLite file at path.
func countJobs(t *testing.T, path string) int64 {
	db, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	defer db.Close()
	var n int64
	require.NoError(t, db.QueryRow("SELECT count(*) FROM river_job WHERE kind = 'smsgw24_perf'").Scan(&n))
	return n
}

func TestRiverInsertRateSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engine.db")
	d := 300 * time.Millisecond
	n, took, err := riverInserts(context.Background(), config{conns: 4}, sqliteEngine(path), d)
	require.NoError(t, err)
	require.Positive(t, n)
	require.GreaterOrEqual(t, took, d)
	require.Equal(t, n, countJobs(t, path), "every insert counted is in the file")
}

func TestRiverInsertRatePostgres(t *testing.T) {
	url := realserver.PostgresURL(t)
	n, _, err := riverInserts(context.Background(), config{conns: 4}, postgresEngine(url), 300*time.Millisecond)
	require.NoError(t, err)
	require.Positive(t, n)
}

// TestInboxTable runs -inbox-table for a moment against the built
// receiver: it prints a row per target with no error, and River's rate
// and the share beside each inbox. Whether the goal is met (exit 0 or 1)
// depends on the machine; a failure to measure is exit 2.
func TestInboxTable(t *testing.T) {
	pg := realserver.PostgresURL(t)
	bin := filepath.Join(t.TempDir(), "receiver")
	out, err := exec.Command("go", "build", "-o", bin, "../receiver").CombinedOutput()
	require.NoError(t, err, "%s", out)

	var stdout, stderr strings.Builder
	code := run(context.Background(), []string{"-inbox-table", "-receiver", bin, "-postgres", pg,
		"-duration", "900ms", "-rounds", "1", "-c", "4"}, &stdout, &stderr)
	require.Contains(t, []int{0, 1}, code, "stdout:\n%s\nstderr:\n%s", &stdout, &stderr)
	table := stdout.String()
	for _, row := range []string{
		`synchronous Handler \(MemoryDeduplicator\) +\d+ +\S+ +\S+ +0 *\n`,
		`inbox on SQLite +\d+ +\S+ +\S+ +0 +\d+ +\d+ % \((met|NOT met)\)\n`,
		`inbox on PostgreSQL +\d+ +\S+ +\S+ +0 +\d+ +\d+ % \((met|NOT met)\)\n`,
	} {
		require.Regexp(t, row, table)
	}
}
