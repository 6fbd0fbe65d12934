// engine.go holds what the inbox asks of River, written once for both
// drivers: the job that carries an event, the client's configuration, and
// the engine interface that hides River's transaction type.

package inbox

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// eventKind is the River job kind of a stored event.
const eventKind = "smsgw24_event"

// eventArgs is the River job of one stored event. Event is the event's
// JSON as a string, so that the database keeps it byte for byte (a jsonb
// column would reorder the keys of Extra's values and refuse \u0000).
// Key, smsgw24.EventKey, is what makes two jobs the same.
type eventArgs struct {
	Key   string `json:"key" river:"unique"`
	Event string `json:"event"`
}

func (eventArgs) Kind() string { return eventKind }

// uniqueStates are the states in which a stored event makes a copy of it
// a duplicate: all of them, dead letters (discarded) included, so that a
// copy of a dead letter does not deliver it behind the operator's back.
var uniqueStates = []rivertype.JobState{
	rivertype.JobStateAvailable,
	rivertype.JobStateCompleted,
	rivertype.JobStateDiscarded,
	rivertype.JobStatePending,
	rivertype.JobStateRetryable,
	rivertype.JobStateRunning,
	rivertype.JobStateScheduled,
}

func (ib *Inbox) insertOpts() *river.InsertOpts {
	return &river.InsertOpts{
		MaxAttempts: ib.h.maxAttempts(),
		Queue:       Queue,
		UniqueOpts:  river.UniqueOpts{ByArgs: true, ByState: uniqueStates},
	}
}

// engine is a River client whatever its driver.
type engine interface {
	insertMany(ctx context.Context, batch []eventArgs, opts *river.InsertOpts) error
	start(ctx context.Context) error
	stop(ctx context.Context) error
	list(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	get(ctx context.Context, id int64) (*rivertype.JobRow, error)
	retry(ctx context.Context, id int64) (*rivertype.JobRow, error)
	close() error
}

type riverEngine[TTx any] struct {
	client  *river.Client[TTx]
	closeDB func() error
}

// newEngine makes the River client of ib on driver; closeDB closes the
// driver's pool.
func newEngine[TTx any](ib *Inbox, driver riverdriver.Driver[TTx], closeDB func() error) (*riverEngine[TTx], error) {
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &deliverer{ib: ib}); err != nil {
		return nil, err
	}
	timeout := ib.h.deliveryTimeout()
	client, err := river.NewClient(driver, &river.Config{
		Queues:                      map[string]river.QueueConfig{Queue: {MaxWorkers: ib.h.workers()}},
		Workers:                     workers,
		JobTimeout:                  timeout,
		RescueStuckJobsAfter:        2 * timeout,
		RetryPolicy:                 retryPolicy{ib.h.Backoff},
		MaxAttempts:                 ib.h.maxAttempts(),
		CompletedJobRetentionPeriod: CompletedRetention,
		DiscardedJobRetentionPeriod: -1, // dead letters stay until replayed
		Logger:                      ib.h.logger(),
	})
	if err != nil {
		return nil, err
	}
	return &riverEngine[TTx]{client: client, closeDB: closeDB}, nil
}

// insertMany inserts batch in one statement and one transaction; an event
// whose key is stored already is skipped. No two events of batch may have
// the same key.
func (e *riverEngine[TTx]) insertMany(ctx context.Context, batch []eventArgs, opts *river.InsertOpts) error {
	params := make([]river.InsertManyParams, len(batch))
	for i, args := range batch {
		params[i] = river.InsertManyParams{Args: args, InsertOpts: opts}
	}
	_, err := e.client.InsertMany(ctx, params)
	return err
}

func (e *riverEngine[TTx]) start(ctx context.Context) error { return e.client.Start(ctx) }
func (e *riverEngine[TTx]) stop(ctx context.Context) error  { return e.client.Stop(ctx) }

func (e *riverEngine[TTx]) list(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error) {
	return e.client.JobList(ctx, params)
}

func (e *riverEngine[TTx]) get(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return e.client.JobGet(ctx, id)
}

func (e *riverEngine[TTx]) retry(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return e.client.JobRetry(ctx, id)
}

func (e *riverEngine[TTx]) close() error { return e.closeDB() }

func decodeArgs(encoded []byte) (eventArgs, error) {
	var args eventArgs
	err := json.Unmarshal(encoded, &args)
	return args, err
}

// migrate creates or updates River's tables with driver.
func migrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], logger *slog.Logger) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: logger})
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}
