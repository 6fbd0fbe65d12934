//go:build linux

// inbox_test.go checks the baseline of -inbox-table: River's own inserts
// on a fresh SQLite file and PostgreSQL database.

package main

import (
	"context"
	"database/sql"
	"path/filepath"
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
