// backends_dedup.go opens the Deduplicators that several replicas share:
// redisdedup on Redis, sqldedup on PostgreSQL or SQLite.

package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/redis/go-redis/v9"
	_ "modernc.org/sqlite" // database/sql driver "sqlite"

	"github.com/go-smsgw24/smsgw24/redisdedup"
	"github.com/go-smsgw24/smsgw24/sqldedup"
)

// openRedis connects to Redis with short timeouts, so that while Redis is
// down a request is answered 503 promptly rather than held.
func (b *backend) openRedis(ctx context.Context, url string, lease time.Duration) error {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return err
	}
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = time.Second, time.Second, time.Second
	rdb := redis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		_ = rdb.Close()
		return fmt.Errorf("redis: %w", err)
	}
	b.closers = append(b.closers, rdb.Close)
	b.dedup = &redisdedup.Deduplicator{Client: rdb, Lease: lease}
	return nil
}

// openSQL opens the database and creates sqldedup's table.
func (b *backend) openSQL(ctx context.Context, driver, dsn string, lease time.Duration) error {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	b.closers = append(b.closers, db.Close)
	d := &sqldedup.Deduplicator{DB: db, Lease: lease}
	cctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := d.CreateTable(cctx); err != nil {
		return fmt.Errorf("%s: %w", driver, err)
	}
	b.dedup = d
	return nil
}
