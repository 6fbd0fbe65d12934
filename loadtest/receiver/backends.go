// backends.go holds what -dedup and -inbox choose: where the receiver
// remembers the events it handled (memory, Redis, PostgreSQL or SQLite),
// or the durable inbox (SQLite or PostgreSQL) the Handler stores events in
// before a worker delivers them.

package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-smsgw24/smsgw24"
)

// backend is what the Handler is wired to.
type backend struct {
	dedup   smsgw24.Deduplicator                       // nil with an inbox
	onEvent func(context.Context, smsgw24.Event) error // the Handler's OnEvent
	run     func(context.Context) error                // the inbox's delivery, or nil
	log     *callbackLog
	closers []func() error
}

func (b *backend) close() error {
	var errs []error
	for i := len(b.closers) - 1; i >= 0; i-- {
		errs = append(errs, b.closers[i]())
	}
	return errors.Join(append(errs, b.log.close())...)
}

// openBackend opens what c asks for. deliver is the callback every event
// reaches.
func openBackend(ctx context.Context, c config, st *store, deliver func(context.Context, smsgw24.Event) error, log *callbackLog) (*backend, error) {
	b := &backend{log: log}
	if c.inbox != "" {
		if c.dedup != "memory" {
			return nil, errors.New("-inbox and -dedup exclude each other: the inbox de-duplicates by itself")
		}
		return b, b.openInbox(ctx, c, deliver)
	}
	b.onEvent = deliver
	switch dsn := c.dedup; {
	case dsn == "memory":
		b.dedup = &smsgw24.MemoryDeduplicator{MaxKeys: c.keep}
		return b, nil
	case strings.HasPrefix(dsn, "redis://"):
		return b, b.openRedis(ctx, dsn, c.lease)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return b, b.openSQL(ctx, "pgx", dsn, c.lease)
	case strings.HasPrefix(dsn, "sqlite:"):
		return b, b.openSQL(ctx, "sqlite", sqliteDSN(strings.TrimPrefix(dsn, "sqlite:")), c.lease)
	}
	return nil, fmt.Errorf("-dedup %q: want memory, redis://HOST:PORT, postgres://... or sqlite:PATH", c.dedup)
}

// sqliteDSN opens a SQLite file for several connections: WAL, a busy
// timeout, and immediate transactions.
func sqliteDSN(path string) string {
	return "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_txlock=immediate"
}

// pingTimeout bounds the first contact with a backend at start.
const pingTimeout = 30 * time.Second
