// batch_test.go tests group commit: a lone Store is committed alone,
// concurrent ones together up to the bound, copies once, a failed batch
// fails all its callers, a caller's context is respected, and Close
// commits what is queued, refuses the rest and leaves no goroutine.

package inbox

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-smsgw24/smsgw24"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// heldDB stands for the database of a committer: it records the keys of
// each batch, and each insert waits until release is closed.
type heldDB struct {
	release chan struct{}
	started chan struct{}   // a value for each insert begun
	fail    func(int) error // the outcome of batch number n (0 for the first); nil: success

	mu      sync.Mutex
	batches [][]string
}

func newHeldDB() *heldDB {
	return &heldDB{release: make(chan struct{}), started: make(chan struct{}, 1000)}
}

func (db *heldDB) insert(ctx context.Context, batch []eventArgs) error {
	keys := make([]string, len(batch))
	for i, args := range batch {
		keys[i] = args.Key
	}
	db.mu.Lock()
	n := len(db.batches)
	db.batches = append(db.batches, keys)
	db.mu.Unlock()
	db.started <- struct{}{}
	select {
	case <-db.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	if db.fail != nil {
		return db.fail(n)
	}
	return nil
}

func (db *heldDB) recorded() [][]string {
	db.mu.Lock()
	defer db.mu.Unlock()
	return slices.Clone(db.batches)
}

// keyArgs is an event whose key is key.
func keyArgs(key string) eventArgs { return eventArgs{Key: key, Event: `{"key":"` + key + `"}`} }

// storeAsync stores the event of key in c from a goroutine of its own;
// its outcome comes on the channel.
func storeAsync(ctx context.Context, c *committer, key string) <-chan error {
	done := make(chan error, 1)
	go func() { done <- c.store(ctx, keyArgs(key)) }()
	return done
}

// waitQueued waits until n requests are queued; n must not exceed the
// queue's capacity, or it would wait forever.
func waitQueued(t *testing.T, c *committer, n int) {
	t.Helper()
	require.LessOrEqual(t, n, cap(c.requests))
	waitFor(t, "requests queued", func() bool { return len(c.requests) == n })
}

// newTestCommitter is a committer on db that is closed at the end of t.
func newTestCommitter(t *testing.T, n, max int, db *heldDB) *committer {
	c := newCommitter(n, max, time.Minute, db.insert)
	t.Cleanup(func() {
		select {
		case <-db.release:
		default:
			close(db.release)
		}
		c.close()
	})
	return c
}

func TestLoneStoreIsCommittedAlone(t *testing.T) {
	db := newHeldDB()
	close(db.release)
	c := newTestCommitter(t, 1, 4, db)
	require.NoError(t, c.store(t.Context(), keyArgs("a")))
	require.NoError(t, c.store(t.Context(), keyArgs("b")))
	assert.Equal(t, [][]string{{"a"}, {"b"}}, db.recorded())
}

func TestStoreReturnsOnceCommitted(t *testing.T) {
	db := newHeldDB()
	c := newTestCommitter(t, 1, 4, db)
	done := storeAsync(t.Context(), c, "a")
	<-db.started
	select {
	case err := <-done:
		t.Fatalf("Store returned %v before its commit ended", err)
	default:
	}
	close(db.release)
	assert.NoError(t, <-done)
}

func TestBatchIsBounded(t *testing.T) {
	db := newHeldDB()
	const max = 4
	c := newTestCommitter(t, 1, max, db)
	var results []<-chan error
	results = append(results, storeAsync(t.Context(), c, "first"))
	<-db.started // the committer is busy: the next requests queue up
	for _, key := range []string{"q1", "q2", "q3", "q4"} {
		results = append(results, storeAsync(t.Context(), c, key))
	}
	waitQueued(t, c, max) // the queue holds max: more wait to enter it
	for _, key := range []string{"w1", "w2", "w3"} {
		results = append(results, storeAsync(t.Context(), c, key))
	}
	close(db.release)
	for _, done := range results {
		require.NoError(t, <-done)
	}

	batches := db.recorded()
	require.GreaterOrEqual(t, len(batches), 3)
	assert.Equal(t, []string{"first"}, batches[0])
	assert.Len(t, batches[1], max, "the queued requests, up to the bound")
	var all []string
	for i, b := range batches {
		assert.LessOrEqual(t, len(b), max, "batch %d", i)
		all = append(all, b...)
	}
	slices.Sort(all)
	assert.Equal(t, []string{"first", "q1", "q2", "q3", "q4", "w1", "w2", "w3"}, all, "each event once")
}

// queueBehindFirst stores "first", and while its insert is held, queues a
// Store of each key; then it lets the inserts go, checks that "first" was
// stored, and returns the queued Stores' results.
func queueBehindFirst(t *testing.T, c *committer, db *heldDB, keys ...string) []<-chan error {
	t.Helper()
	first := storeAsync(t.Context(), c, "first")
	<-db.started
	var results []<-chan error
	for _, key := range keys {
		results = append(results, storeAsync(t.Context(), c, key))
	}
	waitQueued(t, c, len(keys))
	close(db.release)
	require.NoError(t, <-first)
	return results
}

func TestCopiesShareOneInsert(t *testing.T) {
	db := newHeldDB()
	c := newTestCommitter(t, 1, 8, db)
	results := queueBehindFirst(t, c, db, "c", "a", "c", "b", "a", "c")
	for _, done := range results {
		assert.NoError(t, <-done)
	}
	assert.Equal(t, [][]string{{"first"}, {"a", "b", "c"}}, db.recorded(), "once each, in the order of the keys")
}

func TestFailedBatchFailsAllItsCallers(t *testing.T) {
	errDB := errors.New("database is locked")
	db := newHeldDB()
	db.fail = func(n int) error {
		if n == 1 {
			return errDB
		}
		return nil
	}
	c := newTestCommitter(t, 1, 8, db)
	keys := []string{"a", "b", "a"}
	results := queueBehindFirst(t, c, db, keys...)
	for i, done := range results {
		assert.ErrorIs(t, <-done, errDB, "Store %d of %s", i, keys[i])
	}
	require.NoError(t, c.store(t.Context(), keyArgs("a")), "the next batch is committed")
	assert.Equal(t, [][]string{{"first"}, {"a", "b"}, {"a"}}, db.recorded())
}

func TestStoreContextEndsWhileCommitting(t *testing.T) {
	db := newHeldDB()
	c := newTestCommitter(t, 1, 8, db)
	ctx, cancel := context.WithCancel(t.Context())
	done := storeAsync(ctx, c, "a")
	<-db.started
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled, "the caller does not wait for the commit")
	close(db.release)
	require.NoError(t, c.store(t.Context(), keyArgs("b")))
	assert.Equal(t, [][]string{{"a"}, {"b"}}, db.recorded(), "a is committed all the same")
}

func TestStoreContextEndsWhileQueued(t *testing.T) {
	db := newHeldDB()
	c := newTestCommitter(t, 1, 8, db)
	first := storeAsync(t.Context(), c, "first")
	<-db.started
	gone, cancel := context.WithCancel(t.Context())
	var goneResults, results []<-chan error
	for _, key := range []string{"a", "c"} {
		goneResults = append(goneResults, storeAsync(gone, c, key))
	}
	waitQueued(t, c, 2)
	for _, key := range []string{"c", "b"} {
		results = append(results, storeAsync(t.Context(), c, key))
	}
	waitQueued(t, c, 4)
	cancel()
	for _, done := range goneResults {
		assert.ErrorIs(t, <-done, context.Canceled)
	}
	close(db.release)
	require.NoError(t, <-first)
	for _, done := range results {
		assert.NoError(t, <-done)
	}
	assert.Equal(t, [][]string{{"first"}, {"b", "c"}}, db.recorded(),
		"a's Store has returned: a is left out; c is awaited by its copy")
}

func TestStoreContextEndsWhileTheQueueIsFull(t *testing.T) {
	db := newHeldDB()
	c := newTestCommitter(t, 1, 1, db)
	first := storeAsync(t.Context(), c, "first")
	<-db.started
	queued := storeAsync(t.Context(), c, "queued")
	waitQueued(t, c, 1)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, c.store(ctx, keyArgs("refused")), context.Canceled)
	close(db.release)
	require.NoError(t, <-first)
	require.NoError(t, <-queued)
	assert.Equal(t, [][]string{{"first"}, {"queued"}}, db.recorded())
}

func TestCloseCommitsWhatIsQueued(t *testing.T) {
	before := runtime.NumGoroutine()
	db := newHeldDB()
	c := newCommitter(2, 8, time.Minute, db.insert)
	var results []<-chan error
	for _, key := range []string{"busy1", "busy2"} {
		results = append(results, storeAsync(t.Context(), c, key))
		<-db.started // both committers busy
	}
	for _, key := range []string{"q1", "q2"} {
		results = append(results, storeAsync(t.Context(), c, key))
	}
	waitQueued(t, c, 2)
	closed := make(chan struct{})
	go func() { c.close(); close(closed) }()
	waitFor(t, "close to begin", func() bool {
		c.mu.RLock()
		defer c.mu.RUnlock()
		return c.closed
	})
	assert.ErrorIs(t, c.store(t.Context(), keyArgs("late")), ErrClosed)
	close(db.release)
	for _, done := range results {
		assert.NoError(t, <-done)
	}
	<-closed
	var all []string
	for _, b := range db.recorded() {
		all = append(all, b...)
	}
	slices.Sort(all)
	assert.Equal(t, []string{"busy1", "busy2", "q1", "q2"}, all)
	assert.ErrorIs(t, c.store(t.Context(), keyArgs("later")), ErrClosed)
	c.close() // again: no effect
	waitGoroutines(t, before)
}

// waitGoroutines waits until no more than n goroutines run, failing t
// after a minute. (waitFor would count its own.)
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	for i := 0; runtime.NumGoroutine() > n; i++ {
		if i == 6000 {
			t.Fatalf("%d goroutines run, %d before", runtime.NumGoroutine(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStoreAfterClose(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ib := open(t, e.dsn(t), Handlers{})
			require.NoError(t, ib.Close())
			assert.ErrorIs(t, ib.Store(t.Context(), fixtureEvents(t)[0]), ErrClosed)
		})
	}
}

// TestCopiesStoredTogether has copies of events, one of them stored
// already, committed in one batch on the real engines: each is stored
// once and every Store returns nil.
func TestCopiesStoredTogether(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			var rec recorder
			ib := open(t, e.dsn(t), Handlers{OnEvent: rec.OnEvent})
			// The inbox's committer, held: its first commit waits for
			// the others to queue up behind it.
			db := newHeldDB()
			ib.batch.close()
			ib.batch = newCommitter(1, maxBatch, time.Minute, func(ctx context.Context, batch []eventArgs) error {
				if err := db.insert(ctx, batch); err != nil {
					return err
				}
				return ib.engine.insertMany(ctx, batch, ib.insertOpts())
			})

			events := fixtureEvents(t)[:3]
			first := make(chan error, 1)
			go func() { first <- ib.Store(t.Context(), events[0]) }()
			<-db.started
			copies := []smsgw24.Event{events[1], events[2], events[1], events[0], events[2], events[1]}
			results := make(chan error, len(copies))
			for _, ev := range copies {
				go func() { results <- ib.Store(t.Context(), ev) }()
			}
			waitQueued(t, ib.batch, len(copies))
			close(db.release)
			require.NoError(t, <-first)
			for range copies {
				require.NoError(t, <-results)
			}

			var keys []string
			for _, ev := range events {
				keys = append(keys, smsgw24.EventKey(ev))
			}
			second := slices.Clone(keys)
			slices.Sort(second)
			assert.Equal(t, [][]string{keys[:1], second}, db.recorded(), "one batch after the first, copies once")
			assert.Equal(t, len(events), stored(t, ib), "each event stored once")
			run(t, ib)
			waitFor(t, "every event delivered", func() bool { return rec.count() == len(events) })
			for _, ev := range events {
				assert.Equal(t, []smsgw24.Event{ev}, rec.get(smsgw24.EventKey(ev)), smsgw24.EventKey(ev))
			}
		})
	}
}

// TestCopiesInAnyOrder stores the same events from several goroutines at
// once, each in an order of its own, so that batches committed in
// parallel hold the same keys: none may fail.
func TestCopiesInAnyOrder(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ib := open(t, e.dsn(t), Handlers{})
			const senders, events = 8, 60
			var wg sync.WaitGroup
			errs := make(chan error, senders*events)
			for s := range senders {
				order := rand.New(rand.NewPCG(uint64(s), 1)).Perm(events)
				wg.Go(func() {
					for _, i := range order {
						errs <- ib.Store(t.Context(), &smsgw24.StatusUpdate{SMSID: int64(i + 1), Status: smsgw24.StatusDelivered})
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			assert.Equal(t, events, stored(t, ib))
		})
	}
}
