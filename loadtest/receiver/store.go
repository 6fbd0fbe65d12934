// store.go holds what the receiver keeps in memory: the latest status of
// each outgoing message, the keys of the events its callbacks ran for, and
// the counters /stats shows. Everything is bounded.

package main

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/go-smsgw24/smsgw24"
)

// store is safe for concurrent use.
type store struct {
	mu       sync.Mutex
	statuses *fifo[int64, smsgw24.Status] // by sms_id
	seen     *fifo[eventKey, struct{}]    // every event handled

	callbacks, distinct, texts, images int64 // under mu
	duplicates, busy, rejections       atomic.Int64
}

func newStore(keep int) *store {
	return &store{statuses: newFIFO[int64, smsgw24.Status](keep), seen: newFIFO[eventKey, struct{}](keep)}
}

// eventKey tells events apart as smsgw24.EventKey does: a status update by
// sms_id and status, a message by device and sms_id. Unlike the string, it
// holds no pointer, so that the garbage collector need not scan the set.
type eventKey struct {
	kind byte
	a, b int64
}

func keyOf(ev smsgw24.Event) eventKey {
	switch e := ev.(type) {
	case *smsgw24.StatusUpdate:
		return eventKey{kind: 's', a: e.SMSID, b: int64(e.Status)}
	case *smsgw24.TextMessage:
		return eventKey{kind: 't', a: e.DeviceID, b: e.SMSID}
	case *smsgw24.ImageMessage:
		return eventKey{kind: 'i', a: e.DeviceID, b: e.SMSID}
	}
	return eventKey{b: ev.ID()}
}

// stats is the answer of GET /stats.
type stats struct {
	Callbacks         int64 `json:"callbacks"`          // callbacks run
	DistinctEvents    int64 `json:"distinct_events"`    // events (by smsgw24.EventKey) they ran for
	LatestStatuses    int   `json:"latest_statuses"`    // messages with a status kept
	Texts             int64 `json:"texts"`              // text messages received
	Images            int64 `json:"images"`             // images received
	DuplicatesSkipped int64 `json:"duplicates_skipped"` // copies of handled events answered without a callback
	Busy              int64 `json:"busy"`               // copies answered 409 while the first was handled
	Rejected          int64 `json:"rejected"`           // requests answered with an error
}

func (s *store) stats() stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return stats{
		Callbacks: s.callbacks, DistinctEvents: s.distinct, LatestStatuses: s.statuses.len(),
		Texts: s.texts, Images: s.images,
		DuplicatesSkipped: s.duplicates.Load(), Busy: s.busy.Load(), Rejected: s.rejections.Load(),
	}
}

// handled counts a callback for ev. Under mu.
func (s *store) handled(ev smsgw24.Event) {
	s.callbacks++
	key := keyOf(ev)
	if _, ok := s.seen.get(key); !ok {
		s.distinct++
		s.seen.put(key, struct{}{})
	}
}

// status keeps u's status if it supersedes the one kept for its message,
// and returns the status kept now.
func (s *store) status(u *smsgw24.StatusUpdate) (latest smsgw24.Status, replaced bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handled(u)
	prev, _ := s.statuses.get(u.SMSID)
	if !u.Status.Supersedes(prev) {
		return prev, false
	}
	s.statuses.put(u.SMSID, u.Status)
	return u.Status, true
}

func (s *store) latest(smsID int64) (smsgw24.Status, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.statuses.get(smsID)
}

func (s *store) message(ev smsgw24.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handled(ev)
	if ev.Kind() == smsgw24.KindImage {
		s.images++
	} else {
		s.texts++
	}
}

func (s *store) rejected() { s.rejections.Add(1) }

// countingDeduplicator counts what the Deduplicator it wraps answers,
// and writes its commits to the callback log.
type countingDeduplicator struct {
	smsgw24.Deduplicator
	st  *store
	log *callbackLog
}

func (d *countingDeduplicator) Commit(ctx context.Context, key string, lease smsgw24.Lease) error {
	err := d.Deduplicator.Commit(ctx, key, lease)
	if err != nil {
		d.log.write("commit-failed", key)
	} else {
		d.log.write("commit", key)
	}
	return err
}

func (d *countingDeduplicator) Claim(ctx context.Context, key string) (smsgw24.Claim, smsgw24.Lease, error) {
	c, l, err := d.Deduplicator.Claim(ctx, key)
	switch {
	case err != nil:
	case c == smsgw24.ClaimDone:
		d.st.duplicates.Add(1)
	case c == smsgw24.ClaimBusy:
		d.st.busy.Add(1)
	}
	return c, l, err
}

// fifo is a map that holds at most limit keys, forgetting the oldest first.
// It is not safe for concurrent use.
type fifo[K comparable, V any] struct {
	m     map[K]V
	order []K // a ring of the keys, oldest at next once full
	next  int
	limit int
}

func newFIFO[K comparable, V any](limit int) *fifo[K, V] {
	return &fifo[K, V]{m: make(map[K]V), limit: limit}
}

func (f *fifo[K, V]) get(k K) (V, bool) {
	v, ok := f.m[k]
	return v, ok
}

func (f *fifo[K, V]) put(k K, v V) {
	if _, ok := f.m[k]; !ok {
		if len(f.order) < f.limit {
			f.order = append(f.order, k)
		} else {
			delete(f.m, f.order[f.next])
			f.order[f.next] = k
			f.next = (f.next + 1) % f.limit
		}
	}
	f.m[k] = v
}

func (f *fifo[K, V]) len() int { return len(f.m) }
