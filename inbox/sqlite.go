// sqlite.go opens the inbox on a SQLite file: the pool, the pragmas that
// make a commit durable and concurrent requests wait rather than fail, and
// the migration that several processes may run at once.

package inbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river/riverdriver/riversqlite"
	_ "modernc.org/sqlite" // the database/sql driver "sqlite", pure Go
)

// sqliteBusyTimeout is how long a statement waits for another process's
// write lock on the file before it fails.
const sqliteBusyTimeout = 10 * time.Second

// sqliteDSN is the modernc.org/sqlite data source for path:
//   - busy_timeout first, so that the next pragmas wait for a lock too;
//   - journal_mode WAL, readers and the writer do not block each other;
//   - synchronous FULL, each commit is on disk (WAL fsync'd) before it
//     returns, so it survives a killed process and a lost machine;
//   - _txlock=immediate, a transaction takes the write lock when it
//     begins, so it never fails to upgrade a read lock half-way.
func sqliteDSN(path string) string {
	return path + fmt.Sprintf("?_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate",
		sqliteBusyTimeout.Milliseconds())
}

func openSQLite(ctx context.Context, path string, ib *Inbox) (engine, error) {
	if path == "" || strings.ContainsAny(path, "?#") || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("inbox: sqlite:PATH needs the path of a file, without ? or #, not %q", path)
	}
	db, err := sql.Open("sqlite", sqliteDSN(path))
	if err != nil {
		return nil, fmt.Errorf("inbox: open %s: %w", path, err)
	}
	// One connection: SQLite writes one transaction at a time anyway, and
	// River's concurrent internal queries then queue in the pool instead
	// of answering "database is locked". Other processes on the file wait
	// for up to sqliteBusyTimeout.
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	driver := riversqlite.New(db)
	if err := migrateSQLite(ctx, driver, ib); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("inbox: migrate %s: %w", path, err)
	}
	eng, err := newEngine(ib, driver, db.Close)
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("inbox: %w", err)
	}
	return eng, nil
}

// migrateSQLite migrates the file. Each of River's migrations runs in a
// transaction of its own, which holds the file's write lock; two processes
// migrating a new file at once can still both try the first one, so the
// loser tries again, then finds it applied.
func migrateSQLite(ctx context.Context, driver *riversqlite.Driver, ib *Inbox) error {
	var err error
	for try := 0; try < 10; try++ {
		if err = migrate(ctx, driver, ib.h.logger()); err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return errors.Join(err, ctx.Err())
		}
		time.Sleep(time.Duration(50*(try+1)) * time.Millisecond)
	}
	return err
}
