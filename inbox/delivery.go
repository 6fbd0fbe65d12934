// delivery.go holds how a stored event reaches the callbacks: the River
// worker, the retry policy with its default backoff, and CompleteTx for
// callbacks that complete their delivery in their own transaction.

package inbox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/go-smsgw24/smsgw24"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
)

// deliverer is the River worker of stored events.
type deliverer struct {
	river.WorkerDefaults[eventArgs]
	ib *Inbox
}

type jobKey struct{}

func (d *deliverer) Work(ctx context.Context, job *river.Job[eventArgs]) error {
	ev, err := smsgw24.Parse("application/json", []byte(job.Args.Event))
	if err != nil {
		return fmt.Errorf("inbox: stored event %s does not decode: %w", job.Args.Key, err)
	}
	ctx = context.WithValue(ctx, jobKey{}, job)
	return d.ib.h.deliver(ctx, ev)
}

// deliver calls the callback of ev's kind.
func (h *Handlers) deliver(ctx context.Context, ev smsgw24.Event) error {
	switch e := ev.(type) {
	case *smsgw24.StatusUpdate:
		if h.OnStatus != nil {
			return h.OnStatus(ctx, e)
		}
	case *smsgw24.TextMessage:
		if h.OnText != nil {
			return h.OnText(ctx, e)
		}
	case *smsgw24.ImageMessage:
		if h.OnImage != nil {
			return h.OnImage(ctx, e)
		}
	}
	if h.OnEvent != nil {
		return h.OnEvent(ctx, ev)
	}
	return fmt.Errorf("%w: %s", ErrNoCallback, ev.Kind())
}

// DeliveryID returns the id of the delivery ctx belongs to, the id
// [Inbox.DeadLetters] and [Inbox.Replay] use; ok is false outside a
// callback.
func DeliveryID(ctx context.Context) (id int64, ok bool) {
	job, ok := ctx.Value(jobKey{}).(*river.Job[eventArgs])
	if !ok {
		return 0, false
	}
	return job.ID, true
}

// ErrNotInDelivery: CompleteTx was called outside a callback of an inbox
// on PostgreSQL.
var ErrNotInDelivery = errors.New("inbox: CompleteTx outside a delivery of an inbox on PostgreSQL")

// CompleteTx marks the delivery that ctx belongs to as done, in tx, a
// transaction on the PostgreSQL database of the inbox: when tx commits,
// the callback's own writes in tx and the end of the delivery commit
// together, so the event's effects happen exactly once. Call it from a
// callback, with the callback's ctx, before committing tx; then return nil
// (an error returned after the commit changes nothing). When tx rolls
// back, the delivery is retried as usual.
func CompleteTx(ctx context.Context, tx pgx.Tx) error {
	job, ok := ctx.Value(jobKey{}).(*river.Job[eventArgs])
	if !ok || river.ClientFromContext[pgx.Tx](ctx) == nil {
		return ErrNotInDelivery
	}
	if _, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job); err != nil {
		return fmt.Errorf("inbox: complete delivery %d: %w", job.ID, err)
	}
	return nil
}

// DefaultBackoff is the wait before the attempt after attempt number
// attempt failed when Handlers.Backoff is nil: 2^(attempt-1) seconds,
// at most an hour, within ±20 % at random so that the retries of many
// events that failed together spread out.
func DefaultBackoff(attempt int) time.Duration {
	d := time.Hour
	if attempt < 13 {
		d = min(time.Second<<max(attempt-1, 0), time.Hour)
	}
	jitter := (rand.Float64()*0.4 - 0.2) * float64(d)
	return d + time.Duration(jitter)
}

// retryPolicy is River's retry policy from Handlers.Backoff.
type retryPolicy struct {
	backoff func(attempt int) time.Duration
}

func (p retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	backoff := p.backoff
	if backoff == nil {
		backoff = DefaultBackoff
	}
	return time.Now().Add(backoff(max(job.Attempt, 1)))
}
