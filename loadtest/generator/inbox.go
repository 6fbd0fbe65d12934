//go:build linux

// inbox.go holds -inbox-table: the durable inbox measured in one run
// against the synchronous Handler and against River's own insert rate on
// the same database: acknowledged events per second and answer latency
// with the inbox on a SQLite file and on PostgreSQL, and River's
// client.Insert of one job at a time, from as many goroutines as the
// generator has connections, on a fresh SQLite file and a fresh
// PostgreSQL database.

package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite"

	"github.com/go-smsgw24/smsgw24/internal/realserver"
)

// The goal of issue 13: acknowledgements at no less than this share of
// the engine's own insert rate.
const inboxGoal = 0.70

// inboxRow is one line of the table.
type inboxRow struct {
	name       string
	target     *target
	engine     engine // River on the same kind of database; nil: none
	inserted   int64
	insertTime time.Duration
	inserts    float64 // River's inserts per second
}

func inboxTable(ctx context.Context, c config, stdout, stderr io.Writer) error {
	dir, err := os.MkdirTemp("", "smsgw24-inbox-table-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	pgBase := c.postgres
	if pgBase == "" {
		srv, err := realserver.StartPostgres()
		if err != nil {
			return fmt.Errorf("PostgreSQL: %w (install Debian's postgresql, or pass -postgres)", err)
		}
		defer srv.Remove()
		pgBase = srv.URL
	}
	inboxURL, err := freshDatabase(ctx, pgBase, "smsgw24_perf_inbox")
	if err != nil {
		return err
	}
	engineURL, err := freshDatabase(ctx, pgBase, "smsgw24_perf_engine")
	if err != nil {
		return err
	}

	d := c.duration
	fmt.Fprintf(stdout, "machine: %d CPUs, %s, %s %s/%s\n", runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(stdout, "load: %s per target in %d rounds, %d connections, every %d-th event sent twice at once, every %d-th request followed by a copy of the event %d before;\n",
		d, c.rounds, c.conns, c.pairEvery, c.copyEvery, c.copyLag)
	fmt.Fprintf(stdout, "      River's inserts: one job per Insert, from %d goroutines, for %s in the same rounds, on a file or database of its own\n\n", c.conns, d)

	rows := []*inboxRow{
		{name: "synchronous Handler (MemoryDeduplicator)", target: &target{name: "synchronous"}},
		{name: "inbox on SQLite", target: &target{name: "inbox SQLite"}, engine: sqliteEngine(filepath.Join(dir, "engine.db"))},
		{name: "inbox on PostgreSQL", target: &target{name: "inbox PostgreSQL"}, engine: postgresEngine(engineURL)},
	}
	args := [][]string{
		{"-dedup", "memory"},
		{"-inbox", "sqlite:" + filepath.Join(dir, "inbox.db")},
		{"-inbox", inboxURL},
	}
	logFile, err := os.Create(c.receiverLog)
	if err != nil {
		return err
	}
	defer logFile.Close()
	// The measures alternate, -rounds times, so that whatever else runs on
	// the machine weighs on all alike. Each receiver runs only while it is
	// driven (its inbox delivering as it stores), and is started again on
	// the same file or database in the next round.
	phase := d / time.Duration(c.rounds)
	for range c.rounds {
		for i, row := range rows {
			a := append([]string{"-addr", "127.0.0.1:0", "-token", c.token, "-keep", fmt.Sprint(c.keep), "-log-level", "WARN"}, args[i]...)
			if err := row.target.start(exec.Command(c.receiver, a...), logFile); err != nil {
				return err
			}
			err := row.target.drive(ctx, c, phase)
			row.target.stop()
			if err != nil {
				return fmt.Errorf("%s: %w", row.name, err)
			}
			if row.engine != nil {
				n, took, err := riverInserts(ctx, c, row.engine, phase)
				if err != nil {
					return fmt.Errorf("inserting with River beside %s: %w", row.name, err)
				}
				row.inserted += n
				row.insertTime += took
			}
		}
	}
	for _, row := range rows {
		if row.engine != nil {
			row.inserts = float64(row.inserted) / row.insertTime.Seconds()
		}
	}

	fmt.Fprintf(stdout, "%-42s %9s %9s %9s %7s %16s %15s\n", "target", "acks/s", "p50", "p99", "errors", "River inserts/s", "acks ÷ inserts")
	ok := true
	for _, row := range rows {
		t := row.target
		acks := float64(len(t.acked)) / t.loaded.Seconds()
		engine, ratio := "", ""
		if row.inserts > 0 {
			engine = fmt.Sprintf("%.0f", row.inserts)
			verdict := "met"
			if acks < inboxGoal*row.inserts {
				verdict, ok = "NOT met", false
			}
			ratio = fmt.Sprintf("%.0f %% (%s)", 100*acks/row.inserts, verdict)
		}
		fmt.Fprintf(stdout, "%-42s %9.0f %9s %9s %7d %16s %15s\n", row.name, acks,
			round(t.percentile(50)), round(t.percentile(99)), t.errors, engine, ratio)
		if t.errors > 0 {
			ok = false
		}
	}
	fmt.Fprintf(stdout, "\ngoal: acknowledgements at no less than %.0f %% of River's own insert rate on the same database, and no error\n", 100*inboxGoal)
	if !ok {
		fmt.Fprintln(stdout, "\nFAIL")
		return errFailed
	}
	fmt.Fprintln(stdout, "\nPASS")
	return nil
}

// freshDatabase creates the database name (dropping one of that name
// first) on the server of base, and returns its URL.
func freshDatabase(ctx context.Context, base, name string) (string, error) {
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", fmt.Errorf("PostgreSQL at -postgres: %w", err)
	}
	defer conn.Close(ctx)
	for _, stmt := range []string{"DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "CREATE DATABASE " + name} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			return "", fmt.Errorf("%s: %w", stmt, err)
		}
	}
	cfg := conn.Config()
	return fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, name), nil
}

// perfArgs is the job River inserts in the baseline: an empty one.
type perfArgs struct{}

func (perfArgs) Kind() string { return "smsgw24_perf" }

// engine opens one River client, insert-only, on a migrated database.
type engine func(ctx context.Context) (insert func(context.Context) error, closeFn func(), err error)

func sqliteEngine(path string) engine {
	return func(ctx context.Context) (func(context.Context) error, func(), error) {
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_txlock=immediate")
		if err != nil {
			return nil, nil, err
		}
		db.SetMaxOpenConns(1)
		drv := riversqlite.New(db)
		return riverClient(ctx, drv, func() { _ = db.Close() })
	}
}

func postgresEngine(url string) engine {
	return func(ctx context.Context) (func(context.Context) error, func(), error) {
		pool, err := pgxpool.New(ctx, url)
		if err != nil {
			return nil, nil, err
		}
		return riverClient(ctx, riverpgxv5.New(pool), pool.Close)
	}
}

// riverClient migrates the database of drv and returns an insert of one
// job with an insert-only client.
func riverClient[TTx any](ctx context.Context, drv riverdriver.Driver[TTx], closeDB func()) (func(context.Context) error, func(), error) {
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err == nil {
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	}
	if err != nil {
		closeDB()
		return nil, nil, fmt.Errorf("migrate: %w", err)
	}
	client, err := river.NewClient(drv, &river.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		closeDB()
		return nil, nil, err
	}
	insert := func(ctx context.Context) error {
		_, err := client.Insert(ctx, perfArgs{}, nil)
		return err
	}
	return insert, closeDB, nil
}

// riverInserts inserts jobs from c.conns goroutines for d, and returns
// how many and in what time.
func riverInserts(ctx context.Context, c config, open engine, d time.Duration) (int64, time.Duration, error) {
	insert, closeFn, err := open(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer closeFn()
	var n atomic.Int64
	var stop atomic.Bool
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range c.conns {
		wg.Go(func() {
			for !stop.Load() && ctx.Err() == nil {
				if err := insert(ctx); err != nil {
					once.Do(func() { firstErr = err })
					stop.Store(true)
					return
				}
				n.Add(1)
			}
		})
	}
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
	stop.Store(true)
	wg.Wait()
	took := time.Since(start)
	if firstErr != nil {
		return 0, 0, firstErr
	}
	return n.Load(), took, ctx.Err()
}
