// inbox.go holds the Inbox and its life cycle: Handlers, Open, Store, Run
// and Close.

package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/go-smsgw24/smsgw24"
)

// Defaults of [Handlers].
const (
	DefaultMaxAttempts     = 20
	DefaultStoreTimeout    = 5 * time.Second
	DefaultDeliveryTimeout = time.Minute
	DefaultWorkers         = 10
)

// CompletedRetention is how long a delivered event is remembered, so that
// a copy of it is recognised as a duplicate.
const CompletedRetention = 24 * time.Hour

// Queue is the River queue the inbox's deliveries run in.
const Queue = "smsgw24"

// Errors of the inbox. Test for them with errors.Is.
var (
	// ErrNoCallback: a stored event has no callback in Handlers, neither
	// its own nor OnEvent. Its delivery fails, and is retried, until a
	// process with a callback for it delivers it.
	ErrNoCallback = errors.New("inbox: no callback for the event's kind")
	// ErrNotDeadLetter: Replay was given the id of an event that is not a
	// dead letter (it is waiting, being delivered, or was delivered).
	ErrNotDeadLetter = errors.New("inbox: not a dead letter")
	// ErrNotFound: no event in the inbox has the id.
	ErrNotFound = errors.New("inbox: no such event")
	// ErrClosed: the inbox was closed.
	ErrClosed = errors.New("inbox: closed")
	// ErrRunning: Run was called while it was running already.
	ErrRunning = errors.New("inbox: Run is running already")
)

// Handlers are the callbacks [Inbox.Run] delivers stored events to, and how
// it delivers them. Each event goes to the callback of its kind, or to
// OnEvent when that one is nil. A callback returns nil when it has handled
// the event; an error (or a panic) has it delivered again later.
// Callbacks run concurrently, up to Workers at a time.
type Handlers struct {
	// OnStatus receives status updates of outgoing messages.
	OnStatus func(context.Context, *smsgw24.StatusUpdate) error
	// OnText receives incoming text messages.
	OnText func(context.Context, *smsgw24.TextMessage) error
	// OnImage receives incoming image messages.
	OnImage func(context.Context, *smsgw24.ImageMessage) error
	// OnEvent receives the events whose own callback is nil.
	OnEvent func(context.Context, smsgw24.Event) error

	// MaxAttempts is how many times an event is delivered before it is a
	// dead letter; 0 means DefaultMaxAttempts. It is fixed for an event
	// when it is stored.
	MaxAttempts int
	// Backoff is how long to wait before the next attempt after attempt
	// number attempt (1 for the first) failed; nil means [DefaultBackoff],
	// exponential with jitter.
	Backoff func(attempt int) time.Duration

	// StoreTimeout bounds Store; 0 means DefaultStoreTimeout.
	StoreTimeout time.Duration
	// DeliveryTimeout is how long a callback may run before its context is
	// cancelled; 0 means DefaultDeliveryTimeout. An event whose delivery
	// has been running for twice this time (its process was killed) is
	// delivered again: see the package documentation.
	DeliveryTimeout time.Duration
	// Workers is how many callbacks run at once in this process; 0 means
	// DefaultWorkers.
	Workers int
	// Logger receives the engine's logs (failed deliveries, database
	// errors); nil means slog.Default(). No message text is logged.
	Logger *slog.Logger
}

func (h *Handlers) maxAttempts() int {
	if h.MaxAttempts > 0 {
		return h.MaxAttempts
	}
	return DefaultMaxAttempts
}

func (h *Handlers) storeTimeout() time.Duration {
	if h.StoreTimeout > 0 {
		return h.StoreTimeout
	}
	return DefaultStoreTimeout
}

func (h *Handlers) deliveryTimeout() time.Duration {
	if h.DeliveryTimeout > 0 {
		return h.DeliveryTimeout
	}
	return DefaultDeliveryTimeout
}

func (h *Handlers) workers() int {
	if h.Workers > 0 {
		return h.Workers
	}
	return DefaultWorkers
}

func (h *Handlers) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

// Inbox stores webhook events durably and delivers them to [Handlers]. It
// is safe for concurrent use. Create it with [Open].
type Inbox struct {
	h      Handlers
	engine engine
	batch  *committer

	mu      sync.Mutex
	running bool
	closed  bool
}

// Open opens the inbox that dsn names, creating or migrating its tables,
// and returns it ready to Store; call Run to deliver. The dsn is
// "sqlite:PATH" for a SQLite file (created when missing; a relative PATH
// is relative to the working directory) or a PostgreSQL
// URL "postgres://..." (or "postgresql://..."). Several processes may open
// one database at the same moment. Close the inbox when done.
func Open(ctx context.Context, dsn string, h Handlers) (*Inbox, error) {
	ib := &Inbox{h: h}
	var err error
	var committers int
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		ib.engine, err = openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"), ib)
		committers = sqliteCommitters
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		ib.engine, err = openPostgres(ctx, dsn, ib)
		committers = postgresCommitters
	default:
		return nil, fmt.Errorf("inbox: dsn must be sqlite:PATH or a postgres:// URL, not %q", redact(dsn))
	}
	if err != nil {
		return nil, err
	}
	opts := ib.insertOpts()
	ib.batch = newCommitter(committers, maxBatch, h.storeTimeout(), func(ctx context.Context, batch []eventArgs) error {
		return ib.engine.insertMany(ctx, batch, opts)
	})
	return ib, nil
}

// redact shortens a dsn to its scheme, so that no password shows in an
// error.
func redact(dsn string) string {
	if scheme, _, ok := strings.Cut(dsn, ":"); ok && len(scheme) < 20 {
		return scheme + ":..."
	}
	return "..."
}

// Store stores ev in the inbox. It returns nil once ev is committed, or
// when an event with the same [smsgw24.EventKey] was stored before; an
// error otherwise, within [Handlers.StoreTimeout] or when ctx ends (ev
// may then be stored all the same: a copy sent again is a duplicate).
// After [Inbox.Close] it returns an error matching [ErrClosed]. Its
// signature fits [smsgw24.Handler.OnEvent], so that the Handler answers
// 200 only for a stored event.
//
// Concurrent Stores are committed together: the events that arrive while
// a commit is under way are gathered and committed in one statement and
// one transaction next (copies of one event among them are stored once),
// and each of those Stores returns when that commit has ended. A lone
// Store is committed at once.
func (ib *Inbox) Store(ctx context.Context, ev smsgw24.Event) error {
	if ev == nil {
		return errors.New("inbox: Store of a nil event")
	}
	// What Parse would refuse could never be delivered.
	if err := ev.Validate(); err != nil {
		return fmt.Errorf("inbox: store: %w", err)
	}
	data, err := ev.MarshalJSON()
	if err != nil {
		return fmt.Errorf("inbox: encode the event: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, ib.h.storeTimeout())
	defer cancel()
	args := eventArgs{Key: smsgw24.EventKey(ev), Event: string(data)}
	if err := ib.batch.store(ctx, args); err != nil {
		return fmt.Errorf("inbox: store event %s: %w", args.Key, err)
	}
	return nil
}

// Run delivers stored events to the Handlers until ctx ends, then waits
// for the deliveries under way to end (their contexts are cancelled after
// a while) and returns nil. While the database is unreachable it keeps
// trying. Several processes may Run on one PostgreSQL inbox; on a SQLite
// file, one.
func (ib *Inbox) Run(ctx context.Context) error {
	ib.mu.Lock()
	switch {
	case ib.closed:
		ib.mu.Unlock()
		return ErrClosed
	case ib.running:
		ib.mu.Unlock()
		return ErrRunning
	}
	ib.running = true
	ib.mu.Unlock()
	defer func() {
		ib.mu.Lock()
		ib.running = false
		ib.mu.Unlock()
	}()

	// The engine refuses to start while the database is unreachable:
	// try again until it starts or ctx ends.
	wait := 100 * time.Millisecond
	for {
		err := ib.engine.start(ctx)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		ib.h.logger().WarnContext(ctx, "inbox: cannot start delivering yet", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.Background(), ib.h.deliveryTimeout()+5*time.Second)
	defer cancel()
	if err := ib.engine.stop(stopCtx); err != nil {
		return fmt.Errorf("inbox: stop delivering: %w", err)
	}
	return nil
}

// Close commits the events of the Stores under way, then releases the
// inbox's database; Stores that begin after it fail with [ErrClosed]. Stop
// Run first (end its context and wait for it to return).
func (ib *Inbox) Close() error {
	ib.mu.Lock()
	if ib.closed {
		ib.mu.Unlock()
		return nil
	}
	ib.closed = true
	ib.mu.Unlock()
	ib.batch.close()
	return ib.engine.close()
}
