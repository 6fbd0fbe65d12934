// batch.go holds group commit: the committers that gather the events of
// concurrent Stores and commit them together, in one River InsertMany, so
// that a burst of webhooks costs a few commits instead of one each.

package inbox

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// maxBatch bounds how many events one commit holds.
const maxBatch = 256

// How many commits run at once: SQLite has one writer, so one committer
// gathers while the database writes; PostgreSQL commits in parallel, and
// two committers keep it busy while leaving half of the pool's default
// four connections to delivery. (Under the load test on two CPUs, 1, 2
// and 4 committers acknowledged about as many events per second; 8,
// which contend with delivery for the pool, about half as many.)
const (
	sqliteCommitters   = 1
	postgresCommitters = 2
)

// storeRequest is one Store waiting for its event to be committed.
type storeRequest struct {
	ctx  context.Context // the Store's: once it ends, nobody waits
	args eventArgs
	done chan error // the outcome of its batch; buffered, sent once
}

// committer gathers the events of concurrent Stores into batches. Each of
// its goroutines takes the first request it is given, adds whatever else
// is queued at that moment (up to max), and commits them in one
// statement; the requests that arrive meanwhile form the next batch. A
// lone Store therefore waits for no timer, and a busy inbox commits many
// events at a time.
type committer struct {
	insert   func(ctx context.Context, batch []eventArgs) error
	timeout  time.Duration // bounds one commit
	max      int
	requests chan *storeRequest

	mu     sync.RWMutex // held for reading while a request is queued
	closed bool
	wg     sync.WaitGroup
}

// newCommitter starts n goroutines that commit batches of at most max
// events with insert, each within timeout.
func newCommitter(n, max int, timeout time.Duration, insert func(context.Context, []eventArgs) error) *committer {
	c := &committer{
		insert:   insert,
		timeout:  timeout,
		max:      max,
		requests: make(chan *storeRequest, max),
	}
	for range n {
		c.wg.Go(c.run)
	}
	return c
}

// store queues args and returns once its batch is committed, with the
// batch's error, or ctx's error when ctx ends first (args may be committed
// all the same). After close it returns ErrClosed.
func (c *committer) store(ctx context.Context, args eventArgs) error {
	req := &storeRequest{ctx: ctx, args: args, done: make(chan error, 1)}
	if err := c.enqueue(ctx, req); err != nil {
		return err
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		// A commit that ended at the same moment still counts.
		select {
		case err := <-req.done:
			return err
		default:
			return ctx.Err()
		}
	}
}

func (c *committer) enqueue(ctx context.Context, req *storeRequest) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.closed {
		return ErrClosed
	}
	select {
	case c.requests <- req:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close commits the requests queued so far, stops the goroutines and
// returns once they have ended; later requests get ErrClosed.
func (c *committer) close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.requests)
	}
	c.mu.Unlock()
	c.wg.Wait()
}

// run is one committer goroutine: it commits batches until the queue is
// closed and empty.
func (c *committer) run() {
	batch := make([]*storeRequest, 0, c.max)
	for first := range c.requests {
		batch = c.gather(append(batch[:0], first))
		c.commit(batch)
		clear(batch) // let the requests' memory go while waiting
	}
}

// gather adds to batch the requests queued right now, up to c.max.
func (c *committer) gather(batch []*storeRequest) []*storeRequest {
	for len(batch) < c.max {
		select {
		case req, ok := <-c.requests:
			if !ok {
				return batch
			}
			batch = append(batch, req)
		default:
			return batch
		}
	}
	return batch
}

// commit inserts the events of batch in one statement and gives every
// request the outcome. Copies of one event are inserted once (one
// statement may not hold a unique key twice) and share the outcome; the
// event of a Store that has returned already is left out unless a copy
// of it is still awaited. The events go in the order of their keys, so
// that two batches that hold the same keys lock them in the same order
// and never wait for each other in a cycle.
func (c *committer) commit(batch []*storeRequest) {
	args := make([]eventArgs, 0, len(batch))
	seen := make(map[string]bool, len(batch))
	for _, req := range batch {
		if req.ctx.Err() != nil || seen[req.args.Key] {
			continue
		}
		seen[req.args.Key] = true
		args = append(args, req.args)
	}
	var err error
	if len(args) > 0 {
		slices.SortFunc(args, func(a, b eventArgs) int { return strings.Compare(a.Key, b.Key) })
		ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
		err = c.insert(ctx, args)
		cancel()
	}
	for _, req := range batch {
		req.done <- err
	}
}
