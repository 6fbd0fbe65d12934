// deadletter.go holds the dead letters: events whose deliveries all
// failed, how to list them and how to replay one.

package inbox

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-smsgw24/smsgw24"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// DeadLetter is an event whose deliveries all failed.
type DeadLetter struct {
	// ID names it for [Inbox.Replay].
	ID int64
	// Event is the event as it was received; nil when the stored event
	// no longer decodes (LastError says so then).
	Event smsgw24.Event
	// Attempts is how many times it was delivered.
	Attempts int
	// LastError is the error of the last attempt.
	LastError string
}

// DeadLetters lists the dead letters, oldest first.
func (ib *Inbox) DeadLetters(ctx context.Context) ([]DeadLetter, error) {
	var out []DeadLetter
	params := river.NewJobListParams().Kinds(eventKind).Queues(Queue).
		States(rivertype.JobStateDiscarded).OrderBy(river.JobListOrderByID, river.SortOrderAsc).First(500)
	for {
		res, err := ib.engine.list(ctx, params)
		if err != nil {
			return nil, fmt.Errorf("inbox: list dead letters: %w", err)
		}
		for _, job := range res.Jobs {
			out = append(out, deadLetter(job))
		}
		if len(res.Jobs) < 500 || res.LastCursor == nil {
			return out, nil
		}
		params = params.After(res.LastCursor)
	}
}

func deadLetter(job *rivertype.JobRow) DeadLetter {
	dl := DeadLetter{ID: job.ID, Attempts: job.Attempt}
	if n := len(job.Errors); n > 0 {
		dl.LastError = job.Errors[n-1].Error
	}
	args, err := decodeArgs(job.EncodedArgs)
	if err == nil {
		dl.Event, err = smsgw24.Parse("application/json", []byte(args.Event))
	}
	if err != nil {
		dl.LastError = fmt.Sprintf("stored event does not decode: %v; last error: %s", err, dl.LastError)
	}
	return dl
}

// Replay puts the dead letter id back into delivery, for one more attempt
// now; when that fails too, it is a dead letter again. It returns an error
// matching [ErrNotFound] for an unknown id and [ErrNotDeadLetter] for an
// event that is not a dead letter (one being delivered is left alone).
func (ib *Inbox) Replay(ctx context.Context, id int64) error {
	job, err := ib.engine.get(ctx, id)
	if errors.Is(err, river.ErrNotFound) || err == nil && job.Kind != eventKind {
		return fmt.Errorf("%w: %d", ErrNotFound, id)
	}
	if err != nil {
		return fmt.Errorf("inbox: replay %d: %w", id, err)
	}
	if job.State != rivertype.JobStateDiscarded {
		return fmt.Errorf("%w: %d is %s", ErrNotDeadLetter, id, job.State)
	}
	// River's retry leaves a running job as it is; a dead letter is not
	// running, unless another Replay got to it first, which is as good.
	if _, err := ib.engine.retry(ctx, id); err != nil {
		return fmt.Errorf("inbox: replay %d: %w", id, err)
	}
	return nil
}
