// postgres.go opens the inbox on PostgreSQL: the pgx pool, and the
// migration serialised by an advisory lock so that replicas may start at
// the same moment on a new database.

package inbox

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// migrationLock is the key of the advisory lock that serialises River's
// migrations: River's migrator takes no lock of its own, and two replicas
// migrating one new database at once fail with "relation ... already
// exists".
const migrationLock = int64(0x736d73677732345f) // "smsgw24_"

// postgresConnectTimeout bounds a new connection when the URL sets no
// connect_timeout, so that Store fails promptly while the server is down.
const postgresConnectTimeout = 3 * time.Second

func openPostgres(ctx context.Context, url string, ib *Inbox) (engine, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's error may quote the URL, password included.
		return nil, fmt.Errorf("inbox: the PostgreSQL URL does not parse")
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = postgresConnectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("inbox: connect to PostgreSQL: %w", err)
	}
	driver := riverpgxv5.New(pool)
	if err := migratePostgres(ctx, pool, driver, ib); err != nil {
		pool.Close()
		return nil, fmt.Errorf("inbox: migrate PostgreSQL: %w", err)
	}
	eng, err := newEngine(ib, driver, func() error { pool.Close(); return nil })
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("inbox: %w", err)
	}
	return eng, nil
}

// migratePostgres runs River's migrator while holding migrationLock on a
// connection of its own.
func migratePostgres(ctx context.Context, pool *pgxpool.Pool, driver *riverpgxv5.Driver, ib *Inbox) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
		return err
	}
	defer func() {
		// A connection whose unlock failed still holds the lock: drop it.
		if _, err := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock); err != nil {
			_ = conn.Conn().Close(context.WithoutCancel(ctx))
		}
	}()
	return migrate(ctx, driver, ib.h.logger())
}
