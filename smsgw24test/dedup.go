// dedup.go holds TestDeduplicator, the suite of tests that every
// smsgw24.Deduplicator passes: the contract of its claims as leases, and
// three Handlers standing for three replicas on one shared store. It is
// one suite, read from top to bottom as the contract it checks, so it stays
// one file though it is a little over 400 lines.

package smsgw24test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-smsgw24/smsgw24"
)

// OpenDedup opens a fresh, empty store for t (or a part of a shared server
// that nothing else uses, such as a key prefix or a table of its own) and
// returns a function that makes a [smsgw24.Deduplicator] on it at each
// call, each with the given lease and retention. Each call of replica
// stands for one replica of a service: the Deduplicators it returns must
// share the store, as replicas share a server. A store of one process may
// return the same Deduplicator every time.
type OpenDedup func(t *testing.T, lease, retention time.Duration) (replica func() smsgw24.Deduplicator)

// shortLease is the first lease of the subtests that wait for one to run
// out; a subtest whose outcome the machine's load left open tries again
// with twice the lease, up to maxTries times.
const (
	shortLease = 200 * time.Millisecond
	maxTries   = 5
	longTime   = time.Hour
	waitBound  = time.Minute // how long a poll waits for a lease or a retention to run out
)

// TestDeduplicator runs the contract of [smsgw24.Deduplicator] against the
// stores open makes (see [OpenDedup]), as subtests:
//
//   - of concurrent claims of one key, on several replicas, one wins;
//   - a held key is busy, and done once committed, on every replica;
//   - a released key (the callback failed) is claimed anew, so the retry
//     runs, and the old lease's Commit then changes nothing;
//   - a key whose lease ran out is taken over, and the old holder's Commit
//     and Release change nothing and wrap [smsgw24.ErrLeaseExpired];
//   - a handled key is remembered past the lease, and forgotten after the
//     retention;
//   - three [smsgw24.Handler] values on one store run the callback once
//     for concurrent copies of an event spread over them, run it again for
//     a retry after a failure on another replica, and take over from a
//     replica whose callback hangs past the lease.
//
// It waits for leases and retentions to run out by polling, with short
// leases, and asserts no duration.
func TestDeduplicator(t *testing.T, open OpenDedup) {
	t.Run("OneWinner", func(t *testing.T) { testOneWinner(t, open) })
	t.Run("BusyThenDone", func(t *testing.T) { testBusyThenDone(t, open) })
	t.Run("ReleaseLetsRetryRun", func(t *testing.T) { testRelease(t, open) })
	t.Run("TakeoverAfterLease", func(t *testing.T) { testTakeover(t, open) })
	t.Run("Retention", func(t *testing.T) { testRetention(t, open) })
	t.Run("ReplicasRunOnce", func(t *testing.T) { testReplicasRunOnce(t, open) })
	t.Run("ReplicasRetryAfterFailure", func(t *testing.T) { testReplicasRetry(t, open) })
	t.Run("ReplicasTakeOverHungCallback", func(t *testing.T) { testReplicasHung(t, open) })
}

// claim claims key on d and fails t on an error.
func claim(t *testing.T, d smsgw24.Deduplicator, key string) (smsgw24.Claim, smsgw24.Lease) {
	t.Helper()
	c, l, err := d.Claim(context.Background(), key)
	if err != nil {
		t.Fatalf("Claim(%q): %v", key, err)
	}
	if c == smsgw24.ClaimNew && l == "" {
		t.Fatalf("Claim(%q) = new with an empty lease", key)
	}
	return c, l
}

func wantClaim(t *testing.T, d smsgw24.Deduplicator, key string, want smsgw24.Claim, why string) smsgw24.Lease {
	t.Helper()
	got, l := claim(t, d, key)
	if got != want {
		t.Fatalf("Claim(%q) = %v, want %v: %s", key, got, want, why)
	}
	return l
}

func wantNoError(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func wantLeaseExpired(t *testing.T, err error, what string) {
	t.Helper()
	if !errors.Is(err, smsgw24.ErrLeaseExpired) {
		t.Fatalf("%s = %v, want an error wrapping smsgw24.ErrLeaseExpired", what, err)
	}
}

// poll calls cond until it is true, failing t after waitBound.
func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitBound)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after %v for %s", waitBound, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func replicas(replica func() smsgw24.Deduplicator, n int) []smsgw24.Deduplicator {
	ds := make([]smsgw24.Deduplicator, n)
	for i := range ds {
		ds[i] = replica()
	}
	return ds
}

func testOneWinner(t *testing.T, open OpenDedup) {
	ds := replicas(open(t, longTime, longTime), 3)
	const claims = 30
	var wg sync.WaitGroup
	results := make(chan smsgw24.Claim, claims)
	start := make(chan struct{})
	for i := range claims {
		wg.Go(func() {
			<-start
			c, _, err := ds[i%len(ds)].Claim(context.Background(), "text:1:1")
			if err != nil {
				t.Errorf("Claim: %v", err)
				return
			}
			results <- c
		})
	}
	close(start)
	wg.Wait()
	close(results)
	count := map[smsgw24.Claim]int{}
	for c := range results {
		count[c]++
	}
	if want := map[smsgw24.Claim]int{smsgw24.ClaimNew: 1, smsgw24.ClaimBusy: claims - 1}; fmt.Sprint(count) != fmt.Sprint(want) {
		t.Fatalf("concurrent claims: %v, want %v", count, want)
	}
}

func testBusyThenDone(t *testing.T, open OpenDedup) {
	ds := replicas(open(t, longTime, longTime), 3)
	l := wantClaim(t, ds[0], "status:42:7", smsgw24.ClaimNew, "a key never seen")
	wantClaim(t, ds[1], "status:42:7", smsgw24.ClaimBusy, "held by another replica")
	wantClaim(t, ds[0], "status:42:7", smsgw24.ClaimBusy, "held, by this replica too")
	wantClaim(t, ds[1], "status:42:6", smsgw24.ClaimNew, "another key is not held")
	wantNoError(t, ds[0].Commit(context.Background(), "status:42:7", l), "Commit")
	for i, d := range ds {
		wantClaim(t, d, "status:42:7", smsgw24.ClaimDone, fmt.Sprintf("committed, seen from replica %d", i))
	}
	wantLeaseExpired(t, ds[0].Commit(context.Background(), "status:42:7", l), "a second Commit of one lease")
	wantLeaseExpired(t, ds[0].Release(context.Background(), "status:42:7", l), "a Release after Commit")
	wantClaim(t, ds[2], "status:42:7", smsgw24.ClaimDone, "a Release after Commit changes nothing")
	wantLeaseExpired(t, ds[0].Commit(context.Background(), "never:1:1", "no-such-lease"), "Commit of a key never claimed")
}

func testRelease(t *testing.T, open OpenDedup) {
	ds := replicas(open(t, longTime, longTime), 2)
	ctx := context.Background()
	first := wantClaim(t, ds[0], "text:5:9", smsgw24.ClaimNew, "a key never seen")
	wantNoError(t, ds[0].Release(ctx, "text:5:9", first), "Release")
	second := wantClaim(t, ds[1], "text:5:9", smsgw24.ClaimNew, "released after a failure: the retry runs")
	if second == first {
		t.Fatalf("a new claim got the lease of the released one, %q", first)
	}
	wantLeaseExpired(t, ds[0].Commit(ctx, "text:5:9", first), "Commit of a released lease")
	wantLeaseExpired(t, ds[0].Release(ctx, "text:5:9", first), "Release of a released lease")
	wantClaim(t, ds[0], "text:5:9", smsgw24.ClaimBusy, "the new holder still holds it")
	wantNoError(t, ds[1].Commit(ctx, "text:5:9", second), "Commit by the new holder")
	wantClaim(t, ds[0], "text:5:9", smsgw24.ClaimDone, "committed by the new holder")
}

func testTakeover(t *testing.T, open OpenDedup) {
	ctx := context.Background()
	lease := shortLease
	for try := 1; ; try++ {
		ds := replicas(open(t, lease, longTime), 4)
		const key = "image:3:4"
		old := wantClaim(t, ds[0], key, smsgw24.ClaimNew, "a key never seen")
		var taken smsgw24.Lease
		poll(t, "the first lease to run out", func() bool {
			c, l := claim(t, ds[1], key)
			switch c {
			case smsgw24.ClaimDone:
				t.Fatalf("Claim = done for a key never committed")
			case smsgw24.ClaimNew:
				taken = l
				return true
			}
			return false
		})
		wantLeaseExpired(t, ds[0].Commit(ctx, key, old), "Commit by the holder whose lease ran out")
		wantLeaseExpired(t, ds[0].Release(ctx, key, old), "Release by the holder whose lease ran out")
		c, _ := claim(t, ds[2], key)
		if c == smsgw24.ClaimDone {
			t.Fatalf("a stale Commit marked the key done")
		}
		err := ds[1].Commit(ctx, key, taken)
		if err == nil {
			// The new lease held until its Commit, so it held at the claim
			// above too: that claim must have found the key busy.
			if c != smsgw24.ClaimBusy {
				t.Fatalf("Claim = %v while the new holder held the key, after the old holder's Commit and Release", c)
			}
			wantClaim(t, ds[3], key, smsgw24.ClaimDone, "committed by the new holder")
			return
		}
		wantLeaseExpired(t, err, "Commit by the new holder")
		if try == maxTries {
			t.Fatalf("the new holder's lease of %v ran out before its Commit in %d tries", lease, try)
		}
		lease *= 2 // a slow machine: try again with a longer lease
	}
}

func testRetention(t *testing.T, open OpenDedup) {
	ctx := context.Background()
	t.Run("KeptPastTheLease", func(t *testing.T) {
		d := open(t, shortLease, longTime)()
		l := wantClaim(t, d, "status:1:7", smsgw24.ClaimNew, "a key never seen")
		wantNoError(t, d.Commit(ctx, "status:1:7", l), "Commit")
		wantClaim(t, d, "status:1:8", smsgw24.ClaimNew, "a key never seen")
		poll(t, "a lease to run out", func() bool {
			c, _ := claim(t, d, "status:1:8")
			return c == smsgw24.ClaimNew
		})
		wantClaim(t, d, "status:1:7", smsgw24.ClaimDone, "a handled key outlives a lease")
	})
	t.Run("ForgottenAfter", func(t *testing.T) {
		retention := shortLease
		for try := 1; ; try++ {
			d := open(t, longTime, retention)()
			l := wantClaim(t, d, "status:2:7", smsgw24.ClaimNew, "a key never seen")
			wantNoError(t, d.Commit(ctx, "status:2:7", l), "Commit")
			c, _ := claim(t, d, "status:2:7")
			if c == smsgw24.ClaimDone {
				poll(t, "the retention to run out", func() bool {
					c, l := claim(t, d, "status:2:7")
					if c == smsgw24.ClaimBusy {
						t.Fatalf("Claim = busy for a key that was committed")
					}
					if c == smsgw24.ClaimNew {
						wantNoError(t, d.Release(ctx, "status:2:7", l), "Release")
					}
					return c == smsgw24.ClaimNew
				})
				return
			}
			if c != smsgw24.ClaimNew || try == maxTries {
				t.Fatalf("Claim right after Commit = %v with a retention of %v", c, retention)
			}
			retention *= 2 // forgotten before we looked: a slow machine
		}
	})
}

// replicaHandlers returns n Handlers on the Deduplicators replica makes,
// whose text callbacks are calls[i].
func replicaHandlers(replica func() smsgw24.Deduplicator, callbacks ...func(context.Context, *smsgw24.TextMessage) error) []*smsgw24.Handler {
	hs := make([]*smsgw24.Handler, len(callbacks))
	for i, cb := range callbacks {
		hs[i] = &smsgw24.Handler{
			OnText:       cb,
			Deduplicator: replica(),
			Logger:       slog.New(slog.DiscardHandler),
		}
	}
	return hs
}

var replicaEvent = &smsgw24.TextMessage{SMSID: 77, DeviceID: 5, Address: "+4915112345678", Body: "once"}

func post(h http.Handler) int {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, NewRequest(replicaEvent, RequestOptions{}))
	return w.Code
}

func testReplicasRunOnce(t *testing.T, open OpenDedup) {
	var calls atomic.Int32
	release := make(chan struct{})
	cb := func(context.Context, *smsgw24.TextMessage) error {
		calls.Add(1)
		<-release
		return nil
	}
	hs := replicaHandlers(open(t, longTime, longTime), cb, cb, cb)
	const copies = 12
	codes := make(chan int, copies)
	var wg sync.WaitGroup
	for i := range copies {
		wg.Go(func() { codes <- post(hs[i%len(hs)]) })
	}
	poll(t, "one callback running and the other copies answered", func() bool {
		return calls.Load() == 1 && len(codes) == copies-1
	})
	close(release)
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	if want := map[int]int{200: 1, 409: copies - 1}; fmt.Sprint(count) != fmt.Sprint(want) {
		t.Fatalf("answers to concurrent copies: %v, want %v", count, want)
	}
	for i, h := range hs {
		if code := post(h); code != http.StatusOK {
			t.Fatalf("a later copy on replica %d answered %d, want 200", i, code)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("the callback ran %d times, want 1", n)
	}
}

func testReplicasRetry(t *testing.T, open OpenDedup) {
	var calls [3]atomic.Int32
	hs := replicaHandlers(open(t, longTime, longTime),
		func(context.Context, *smsgw24.TextMessage) error {
			calls[0].Add(1)
			return errors.New("the database is down")
		},
		func(context.Context, *smsgw24.TextMessage) error { calls[1].Add(1); return nil },
		func(context.Context, *smsgw24.TextMessage) error { calls[2].Add(1); return nil },
	)
	if code := post(hs[0]); code != http.StatusInternalServerError {
		t.Fatalf("a failed callback answered %d, want 500", code)
	}
	if code := post(hs[1]); code != http.StatusOK {
		t.Fatalf("the retry on another replica answered %d, want 200", code)
	}
	if code := post(hs[2]); code != http.StatusOK {
		t.Fatalf("a copy after the retry answered %d, want 200", code)
	}
	got := [3]int32{calls[0].Load(), calls[1].Load(), calls[2].Load()}
	if got != [3]int32{1, 1, 0} {
		t.Fatalf("callbacks run per replica: %v, want [1 1 0]", got)
	}
}

// commitWatch is a Deduplicator that remembers whether a Commit found
// its lease run out.
type commitWatch struct {
	smsgw24.Deduplicator
	expired atomic.Bool
}

func (c *commitWatch) Commit(ctx context.Context, key string, lease smsgw24.Lease) error {
	err := c.Deduplicator.Commit(ctx, key, lease)
	if errors.Is(err, smsgw24.ErrLeaseExpired) {
		c.expired.Store(true)
	}
	return err
}

func testReplicasHung(t *testing.T, open OpenDedup) {
	lease := 2 * shortLease
	for try := 1; ; try++ {
		if replicasHung(t, open, lease) {
			return
		}
		if try == maxTries {
			t.Fatalf("the replica that took over could not commit within its lease of %v in %d tries", lease, try)
		}
		lease *= 2 // a slow machine: try again with a longer lease
	}
}

// replicasHung runs the hung replica's case with lease, and reports
// whether the outcome is known: false if the replica that took over ran
// out of its own lease before its Commit, as a slow machine may.
func replicasHung(t *testing.T, open OpenDedup, lease time.Duration) bool {
	var calls [3]atomic.Int32
	hang := make(chan struct{})
	unhang := sync.OnceFunc(func() { close(hang) })
	defer unhang()
	entered := make(chan struct{})
	hs := replicaHandlers(open(t, lease, longTime),
		func(context.Context, *smsgw24.TextMessage) error { calls[0].Add(1); close(entered); <-hang; return nil },
		func(context.Context, *smsgw24.TextMessage) error { calls[1].Add(1); return nil },
		func(context.Context, *smsgw24.TextMessage) error { calls[2].Add(1); return nil },
	)
	taker := &commitWatch{Deduplicator: hs[1].Deduplicator}
	hs[1].Deduplicator = taker
	hung := make(chan int, 1)
	go func() { hung <- post(hs[0]) }()
	<-entered
	poll(t, "the hung replica's lease to run out", func() bool {
		switch code := post(hs[1]); code {
		case http.StatusConflict:
			return false
		case http.StatusOK:
			return true
		default:
			t.Fatalf("a copy while the first replica hangs answered %d, want 409 or 200", code)
			return false
		}
	})
	if taker.expired.Load() {
		return false
	}
	unhang()
	if code := <-hung; code != http.StatusOK {
		t.Fatalf("the hung callback returned nil and was answered %d, want 200", code)
	}
	if code := post(hs[2]); code != http.StatusOK {
		t.Fatalf("a copy after the takeover answered %d, want 200", code)
	}
	got := [3]int32{calls[0].Load(), calls[1].Load(), calls[2].Load()}
	if got != [3]int32{1, 1, 0} {
		t.Fatalf("callbacks run per replica: %v, want [1 1 0]", got)
	}
	return true
}
