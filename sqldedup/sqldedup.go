// Package sqldedup is a smsgw24.Deduplicator on a SQL database, PostgreSQL
// or SQLite, through database/sql: several replicas of a receiver that
// share one database run the callback once for the copies of one event
// that the gateway sends to different replicas.
//
//	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL")) // github.com/jackc/pgx/v5/stdlib
//	...
//	d := &sqldedup.Deduplicator{DB: db}
//	if err := d.CreateTable(ctx); err != nil { ... } // every replica may, at once
//	h := &smsgw24.Handler{OnText: saveMessage, Deduplicator: d}
//
// # Dialect
//
// The dialect is picked from the package of DB's driver: PostgreSQL for
// github.com/jackc/pgx/v5/stdlib (and github.com/lib/pq), SQLite for
// modernc.org/sqlite (pure Go, so programs build with CGO_ENABLED=0; also
// github.com/mattn/go-sqlite3). Any other driver is refused with
// ErrUnknownDriver. SQLite is opened by the user; for several connections
// open it with WAL, a busy timeout and immediate transactions, e.g.
// "file:events.db?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate".
//
// # Table
//
// One table, Table, holds a row per event: its smsgw24.EventKey, the token
// of the lease that holds it (NULL once handled) and when the row expires,
// in milliseconds since 1970 by the database's clock: the lease's end
// while held, the retention's end once handled. A claim is one statement,
// INSERT … ON CONFLICT … DO UPDATE … WHERE the row expired RETURNING the
// token, so that a crashed holder's claim is taken over once its lease ran
// out. Commit and Release act only on the row that still holds the
// caller's unexpired token.
//
// Expired rows are removed so that the table does not grow: every
// CleanupEvery-th claim of a Deduplicator (and its first) deletes at most
// CleanupBatch expired rows, the oldest first. As each claim adds at most
// one row, that keeps up with any rate of events. A cleanup that fails is
// tried again at the next turn; DeleteExpired does the same on demand, for
// example from a timer.
package sqldedup

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-smsgw24/smsgw24"
)

// DefaultTable is the table of a Deduplicator whose Table is "".
const DefaultTable = "smsgw24_events"

// The cleanup of expired rows: every CleanupEvery-th claim deletes at most
// CleanupBatch of them.
const (
	CleanupEvery = 100
	CleanupBatch = 1000
)

// Errors of a Deduplicator that cannot work.
var (
	// ErrNoDB: the Deduplicator's DB is nil.
	ErrNoDB = errors.New("sqldedup: Deduplicator.DB is nil")
	// ErrUnknownDriver: DB's driver is neither PostgreSQL's nor SQLite's.
	ErrUnknownDriver = errors.New("sqldedup: unknown database driver")
	// ErrInvalidTable: Table is not a plain name, nor schema.name.
	ErrInvalidTable = errors.New("sqldedup: invalid table name")
)

// Deduplicator is a smsgw24.Deduplicator on a SQL table. Set DB; the
// other fields have defaults. Every replica uses the same Table, and
// should use the same Lease and Retention. Call CreateTable before the
// first claim. A Deduplicator is safe for concurrent use; do not change
// its fields after its first use.
//
// Lease is how long a claim holds: a callback still running past it may be
// taken over by a copy of the event on another replica, so keep
// smsgw24.Handler.Timeout below it. A replica killed mid-callback holds the
// event for Lease; its copies are answered 409 until then.
//
// Retention is how long a handled event is remembered: a copy that comes
// later than that runs the callback again. It costs one row per event for
// that time.
type Deduplicator struct {
	DB        *sql.DB
	Table     string        // "" means DefaultTable; a plain name or schema.name
	Lease     time.Duration // how long a claim holds without Commit or Release; 0 means smsgw24.DefaultDedupLease
	Retention time.Duration // how long a handled event is remembered; 0 means smsgw24.DefaultDedupRetention

	once    sync.Once
	q       *queries
	err     error
	nclaims atomic.Uint64
}

var _ smsgw24.Deduplicator = (*Deduplicator)(nil)

// dialect is what differs between PostgreSQL and SQLite.
type dialect struct {
	postgres bool
	nowMS    string // the database's clock in milliseconds since 1970
}

var (
	postgres = dialect{postgres: true, nowMS: "(extract(epoch from clock_timestamp()) * 1000)::bigint"}
	sqlite   = dialect{nowMS: "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"}
)

// driverDialects maps a driver's package to its dialect.
var driverDialects = map[string]dialect{
	"github.com/jackc/pgx/v5/stdlib": postgres,
	"github.com/jackc/pgx/v4/stdlib": postgres,
	"github.com/lib/pq":              postgres,
	"modernc.org/sqlite":             sqlite,
	"github.com/mattn/go-sqlite3":    sqlite,
}

func dialectOf(db *sql.DB) (dialect, error) {
	t := reflect.TypeOf(db.Driver())
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if d, ok := driverDialects[t.PkgPath()]; ok {
		return d, nil
	}
	return dialect{}, fmt.Errorf("%w: %s (use PostgreSQL's pgx stdlib or modernc.org/sqlite)", ErrUnknownDriver, t.String())
}

// queries are the statements of one Deduplicator, written once.
type queries struct {
	dialect
	create  []string
	claim   string
	state   string
	commit  string
	release string
	cleanup string
}

// validName reports whether s is a plain SQL name: a letter or _, then
// letters, digits or _.
func validName(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func newQueries(d dialect, table string) (*queries, error) {
	if table == "" {
		table = DefaultTable
	}
	schema, name, qualified := strings.Cut(table, ".")
	if !qualified {
		schema, name = "", table
	}
	if !validName(name) || qualified && !validName(schema) {
		return nil, fmt.Errorf("%w: %q", ErrInvalidTable, table)
	}
	// PostgreSQL puts an index in its table's schema; SQLite names the
	// schema on the index and not on its table.
	index, on := name+"_expires_ms", table
	if qualified && !d.postgres {
		index, on = schema+"."+index, name
	}
	now := d.nowMS
	q := &queries{
		dialect: d,
		create: []string{
			`CREATE TABLE IF NOT EXISTS ` + table + ` (
	event_key TEXT PRIMARY KEY,
	token TEXT,
	expires_ms BIGINT NOT NULL
)`,
			`CREATE INDEX IF NOT EXISTS ` + index + ` ON ` + on + ` (expires_ms)`,
		},
		claim: `INSERT INTO ` + table + ` AS e (event_key, token, expires_ms) VALUES ($1, $2, ` + now + ` + $3)
ON CONFLICT (event_key) DO UPDATE SET token = excluded.token, expires_ms = excluded.expires_ms
WHERE e.expires_ms <= ` + now + `
RETURNING token`,
		state:   `SELECT token IS NULL FROM ` + table + ` WHERE event_key = $1 AND expires_ms > ` + now,
		commit:  `UPDATE ` + table + ` SET token = NULL, expires_ms = ` + now + ` + $3 WHERE event_key = $1 AND token = $2 AND expires_ms > ` + now,
		release: `DELETE FROM ` + table + ` WHERE event_key = $1 AND token = $2 AND expires_ms > ` + now,
		// The outer condition is checked again on a row that changed while
		// the statement waited for it: a row just claimed anew stays.
		cleanup: `DELETE FROM ` + table + ` WHERE expires_ms <= ` + now + ` AND event_key IN (
	SELECT event_key FROM ` + table + ` WHERE expires_ms <= ` + now + ` ORDER BY expires_ms LIMIT $1)`,
	}
	if !d.postgres { // SQLite numbers its parameters ?1, ?2, ...
		for _, s := range []*string{&q.claim, &q.state, &q.commit, &q.release, &q.cleanup} {
			*s = strings.ReplaceAll(*s, "$", "?")
		}
	}
	return q, nil
}

func (d *Deduplicator) queries() (*queries, error) {
	if d.DB == nil {
		return nil, ErrNoDB
	}
	d.once.Do(func() {
		var dia dialect
		if dia, d.err = dialectOf(d.DB); d.err == nil {
			d.q, d.err = newQueries(dia, d.Table)
		}
	})
	return d.q, d.err
}

// CreateTable creates the table and its index if they do not exist. It is
// safe to call from every replica at start, at the same moment: on
// PostgreSQL the creations run one at a time under an advisory lock.
func (d *Deduplicator) CreateTable(ctx context.Context) error {
	q, err := d.queries()
	if err != nil {
		return err
	}
	tx, err := d.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqldedup: create table: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if q.postgres {
		// Two concurrent CREATE TABLE IF NOT EXISTS can both miss the
		// table and one then fail on PostgreSQL's catalog.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('smsgw24 sqldedup create table'))`); err != nil {
			return fmt.Errorf("sqldedup: create table: %w", err)
		}
	}
	for _, stmt := range q.create {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("sqldedup: create table: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqldedup: create table: %w", err)
	}
	return nil
}

func millis(v, def time.Duration) int64 {
	if v <= 0 {
		v = def
	}
	return max(1, v.Milliseconds())
}

// Claim implements smsgw24.Deduplicator.
func (d *Deduplicator) Claim(ctx context.Context, key string) (smsgw24.Claim, smsgw24.Lease, error) {
	q, err := d.queries()
	if err != nil {
		return 0, "", err
	}
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails
	token := hex.EncodeToString(b[:])
	lease := millis(d.Lease, smsgw24.DefaultDedupLease)
	// A row that is gone between the two statements (released, or
	// expired) is claimed again, once.
	for range 2 {
		var got string
		err := d.DB.QueryRowContext(ctx, q.claim, key, token, lease).Scan(&got)
		if err == nil {
			if d.nclaims.Add(1)%CleanupEvery == 1 {
				_, _ = d.DeleteExpired(ctx)
			}
			return smsgw24.ClaimNew, smsgw24.Lease(got), nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, "", fmt.Errorf("sqldedup: claim %s: %w", key, err)
		}
		var done bool
		err = d.DB.QueryRowContext(ctx, q.state, key).Scan(&done)
		switch {
		case err == nil && done:
			return smsgw24.ClaimDone, "", nil
		case err == nil:
			return smsgw24.ClaimBusy, "", nil
		case !errors.Is(err, sql.ErrNoRows):
			return 0, "", fmt.Errorf("sqldedup: claim %s: %w", key, err)
		}
	}
	return smsgw24.ClaimBusy, "", nil
}

// Commit implements smsgw24.Deduplicator.
func (d *Deduplicator) Commit(ctx context.Context, key string, lease smsgw24.Lease) error {
	q, err := d.queries()
	if err != nil {
		return err
	}
	res, err := d.DB.ExecContext(ctx, q.commit, key, string(lease), millis(d.Retention, smsgw24.DefaultDedupRetention))
	return result("commit", key, res, err)
}

// Release implements smsgw24.Deduplicator.
func (d *Deduplicator) Release(ctx context.Context, key string, lease smsgw24.Lease) error {
	q, err := d.queries()
	if err != nil {
		return err
	}
	res, err := d.DB.ExecContext(ctx, q.release, key, string(lease))
	return result("release", key, res, err)
}

func result(op, key string, res sql.Result, err error) error {
	if err != nil {
		return fmt.Errorf("sqldedup: %s %s: %w", op, key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqldedup: %s %s: %w", op, key, err)
	}
	if n == 0 {
		return fmt.Errorf("sqldedup: %s %s: %w", op, key, smsgw24.ErrLeaseExpired)
	}
	return nil
}

// DeleteExpired deletes at most CleanupBatch expired rows, the oldest
// first: handled events past their retention, and claims past their lease
// that no one committed or released. It returns how many it deleted.
// Claims call it every CleanupEvery times; call it from a timer to clean
// up while no events come.
func (d *Deduplicator) DeleteExpired(ctx context.Context) (int64, error) {
	q, err := d.queries()
	if err != nil {
		return 0, err
	}
	res, err := d.DB.ExecContext(ctx, q.cleanup, CleanupBatch)
	if err != nil {
		return 0, fmt.Errorf("sqldedup: delete expired rows: %w", err)
	}
	return res.RowsAffected()
}
