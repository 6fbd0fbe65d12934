package sqldedup_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/internal/realserver"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
	"github.com/go-smsgw24/smsgw24/sqldedup"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"
)

func TestMain(m *testing.M) { realserver.Main(m) }

// A database a test opens: the driver's name and a data source.
type database struct{ driver, dsn string }

func postgresDB(t *testing.T) database {
	return database{"pgx", realserver.PostgresURL(t)}
}

// sqliteDB is a file in t's directory, opened as the package's doc says
// for several connections.
func sqliteDB(t *testing.T) database {
	path := filepath.Join(t.TempDir(), "events.db")
	return database{"sqlite", "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(20000)&_txlock=immediate"}
}

// connect opens a pool on db, closed when t ends: each stands for one
// replica.
func (db database) connect(t *testing.T) *sql.DB {
	t.Helper()
	pool, err := sql.Open(db.driver, db.dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = pool.Close() })
	return pool
}

var tables atomic.Int64

// open makes the stores of the contract suite in db: each store a table of
// its own, each replica a pool of its own.
func open(db database) smsgw24test.OpenDedup {
	return func(t *testing.T, lease, retention time.Duration) func() smsgw24.Deduplicator {
		table := fmt.Sprintf("events_%d", tables.Add(1))
		first := &sqldedup.Deduplicator{DB: db.connect(t), Table: table, Lease: lease, Retention: retention}
		require.NoError(t, first.CreateTable(context.Background()))
		made := 0
		return func() smsgw24.Deduplicator {
			made++
			if made == 1 {
				return first
			}
			return &sqldedup.Deduplicator{DB: db.connect(t), Table: table, Lease: lease, Retention: retention}
		}
	}
}

func TestContractPostgres(t *testing.T) { smsgw24test.TestDeduplicator(t, open(postgresDB(t))) }
func TestContractSQLite(t *testing.T)   { smsgw24test.TestDeduplicator(t, open(sqliteDB(t))) }

func bothDatabases(t *testing.T, test func(t *testing.T, db database)) {
	t.Run("Postgres", func(t *testing.T) { test(t, postgresDB(t)) })
	t.Run("SQLite", func(t *testing.T) { test(t, sqliteDB(t)) })
}

// TestCreateTableAtOnce: replicas that start at the same moment on a fresh
// database all create the table without an error, and it works.
func TestCreateTableAtOnce(t *testing.T) {
	bothDatabases(t, func(t *testing.T, db database) {
		const replicas = 8
		ds := make([]*sqldedup.Deduplicator, replicas)
		for i := range ds {
			ds[i] = &sqldedup.Deduplicator{DB: db.connect(t)}
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, d := range ds {
			wg.Go(func() {
				<-start
				assert.NoError(t, d.CreateTable(context.Background()))
			})
		}
		close(start)
		wg.Wait()
		require.NoError(t, ds[0].CreateTable(context.Background()), "again, on an existing table")
		c, _, err := ds[1].Claim(context.Background(), "status:1:7")
		require.NoError(t, err)
		assert.Equal(t, smsgw24.ClaimNew, c)
		var n int
		require.NoError(t, ds[2].DB.QueryRow(`SELECT count(*) FROM `+sqldedup.DefaultTable).Scan(&n))
		assert.Equal(t, 1, n)
	})
}

// TestExpiredRowsRemoved: handled events past their retention and claims
// past their lease are deleted, by claims now and then and by
// DeleteExpired, so that the table does not grow; live rows stay.
func TestExpiredRowsRemoved(t *testing.T) {
	bothDatabases(t, func(t *testing.T, db database) {
		ctx := context.Background()
		pool := db.connect(t)
		d := &sqldedup.Deduplicator{DB: pool, Table: "expiring", Lease: time.Millisecond, Retention: time.Millisecond}
		require.NoError(t, d.CreateTable(ctx))
		count := func() (n int) {
			require.NoError(t, pool.QueryRow(`SELECT count(*) FROM expiring WHERE event_key <> 'text:3:1'`).Scan(&n))
			return n
		}
		for i := range sqldedup.CleanupEvery {
			key := fmt.Sprintf("text:1:%d", i)
			_, l, err := d.Claim(ctx, key)
			require.NoError(t, err)
			if i%2 == 0 {
				_ = d.Commit(ctx, key, l) // handled, or its lease already ran out: either expires
			}
		}
		require.GreaterOrEqual(t, count(), sqldedup.CleanupEvery-1, "the first claim's cleanup may take at most itself")
		// Wait until every row expired by the database's clock.
		nowMS := `(extract(epoch from clock_timestamp()) * 1000)::bigint`
		if db.driver == "sqlite" {
			nowMS = `CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)`
		}
		require.Eventually(t, func() bool {
			var live int
			require.NoError(t, pool.QueryRow(`SELECT count(*) FROM expiring WHERE expires_ms > `+nowMS).Scan(&live))
			return live == 0
		}, time.Minute, 5*time.Millisecond)
		live := &sqldedup.Deduplicator{DB: pool, Table: "expiring"}
		c, liveLease, err := live.Claim(ctx, "text:2:1")
		require.NoError(t, err)
		require.Equal(t, smsgw24.ClaimNew, c)

		// The CleanupEvery+1st claim is a cleanup's turn.
		_, _, err = d.Claim(ctx, "text:3:1")
		require.NoError(t, err)
		assert.Equal(t, 1, count(), "only the live claim is left")

		require.Eventually(t, func() bool {
			_, err := d.DeleteExpired(ctx)
			require.NoError(t, err)
			var n int
			require.NoError(t, pool.QueryRow(`SELECT count(*) FROM expiring`).Scan(&n))
			return n == 1
		}, time.Minute, 5*time.Millisecond)
		require.NoError(t, live.Commit(ctx, "text:2:1", liveLease), "the live claim stays")
	})
}

func TestDefaults(t *testing.T) {
	bothDatabases(t, func(t *testing.T, db database) {
		ctx := context.Background()
		pool := db.connect(t)
		d := &sqldedup.Deduplicator{DB: pool}
		require.NoError(t, d.CreateTable(ctx))
		_, l, err := d.Claim(ctx, "status:5:7")
		require.NoError(t, err)
		leaseEnd := expiresIn(t, pool, db, "status:5:7")
		assert.True(t, leaseEnd > smsgw24.DefaultDedupLease-time.Minute && leaseEnd <= smsgw24.DefaultDedupLease, "the default lease: %v", leaseEnd)
		require.NoError(t, d.Commit(ctx, "status:5:7", l))
		kept := expiresIn(t, pool, db, "status:5:7")
		assert.True(t, kept > smsgw24.DefaultDedupRetention-time.Hour && kept <= smsgw24.DefaultDedupRetention, "the default retention: %v", kept)
	})
}

// expiresIn returns how long the row of key has left, by the database's
// clock.
func expiresIn(t *testing.T, pool *sql.DB, db database, key string) time.Duration {
	nowMS := `(extract(epoch from clock_timestamp()) * 1000)::bigint`
	arg := `$1`
	if db.driver == "sqlite" {
		nowMS, arg = `CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)`, `?1`
	}
	var ms int64
	require.NoError(t, pool.QueryRow(`SELECT expires_ms - `+nowMS+` FROM `+sqldedup.DefaultTable+` WHERE event_key = `+arg, key).Scan(&ms))
	return time.Duration(ms) * time.Millisecond
}

// TestSchemaTable: Table may name a schema.
func TestSchemaTable(t *testing.T) {
	db := postgresDB(t)
	pool := db.connect(t)
	_, err := pool.Exec(`CREATE SCHEMA webhooks`)
	require.NoError(t, err)
	d := &sqldedup.Deduplicator{DB: pool, Table: "webhooks.events"}
	require.NoError(t, d.CreateTable(context.Background()))
	c, _, err := d.Claim(context.Background(), "text:1:1")
	require.NoError(t, err)
	assert.Equal(t, smsgw24.ClaimNew, c)
}

func TestInvalidTable(t *testing.T) {
	pool := sqliteDB(t).connect(t)
	for _, table := range []string{"events; DROP TABLE x", "1events", "a.b.c", "events-1", ".events", "\"events\""} {
		d := &sqldedup.Deduplicator{DB: pool, Table: table}
		assert.ErrorIs(t, d.CreateTable(context.Background()), sqldedup.ErrInvalidTable, table)
		_, _, err := d.Claim(context.Background(), "x")
		assert.ErrorIs(t, err, sqldedup.ErrInvalidTable, table)
	}
}

func TestNoDB(t *testing.T) {
	var d sqldedup.Deduplicator
	_, _, err := d.Claim(context.Background(), "x")
	assert.ErrorIs(t, err, sqldedup.ErrNoDB)
	assert.ErrorIs(t, d.CreateTable(context.Background()), sqldedup.ErrNoDB)
}

// otherDriver is a database/sql driver of no known dialect.
type otherDriver struct{}

func (otherDriver) Open(string) (driver.Conn, error) { return nil, errors.New("not a database") }

func init() { sql.Register("sqldedup-test-other", otherDriver{}) }

func TestUnknownDriver(t *testing.T) {
	pool, err := sql.Open("sqldedup-test-other", "")
	require.NoError(t, err)
	defer pool.Close()
	d := &sqldedup.Deduplicator{DB: pool}
	assert.ErrorIs(t, d.CreateTable(context.Background()), sqldedup.ErrUnknownDriver)
}

// TestNeedsNoCgo: nothing the module and its tests build on, SQLite's
// driver included, uses cgo outside the standard library (whose packages
// have pure-Go fallbacks), so CGO_ENABLED=0 builds it.
func TestNeedsNoCgo(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	cmd := exec.Command(gobin, "list", "-deps", "-test", "-f", "{{if and (not .Standard) .CgoFiles}}{{.ImportPath}}{{end}}", ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	out, err := cmd.Output()
	require.NoError(t, err)
	assert.Empty(t, strings.TrimSpace(string(out)), "packages that use cgo")
}

// TestServerDown: a claim while PostgreSQL is down fails with an error,
// and the Handler answers 503 without running the callback; once the
// server is back, the event is handled.
func TestServerDown(t *testing.T) {
	s, err := realserver.StartPostgres()
	if err != nil {
		realserver.Skip(t, "PostgreSQL", "postgresql", err)
	}
	defer s.Remove()
	pool := database{"pgx", s.URL + "&connect_timeout=2"}.connect(t)
	d := &sqldedup.Deduplicator{DB: pool, Table: "down_events"}
	require.NoError(t, d.CreateTable(context.Background()))
	var calls atomic.Int32
	rec := smsgw24test.NewRecorder(&smsgw24.Handler{
		OnText:       func(context.Context, *smsgw24.TextMessage) error { calls.Add(1); return nil },
		Deduplicator: d,
		Logger:       slog.New(slog.DiscardHandler),
	})
	ev := &smsgw24.TextMessage{SMSID: 1, DeviceID: 2, Address: "+491511", Body: "hi"}
	require.NoError(t, s.Stop())
	assert.Equal(t, 503, rec.Serve(smsgw24test.NewRequest(ev, smsgw24test.RequestOptions{})).Code)
	assert.Zero(t, calls.Load())
	require.NoError(t, s.Start())
	require.Eventually(t, func() bool {
		return rec.Serve(smsgw24test.NewRequest(ev, smsgw24test.RequestOptions{})).Code == 200
	}, time.Minute, 50*time.Millisecond)
	assert.Equal(t, int32(1), calls.Load())
	assert.Equal(t, 200, rec.Serve(smsgw24test.NewRequest(ev, smsgw24test.RequestOptions{})).Code, "a copy")
	assert.Equal(t, int32(1), calls.Load())
}
