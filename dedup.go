// dedup.go holds what keeps one event from reaching the callbacks twice:
// the Deduplicator interface the Handler calls, its claims as leases,
// EventKey, and MemoryDeduplicator, a bounded in-memory implementation for
// one process.

package smsgw24

import (
	"container/list"
	"context"
	"errors"
	"strconv"
	"sync"
	"time"
)

// Claim is what a [Deduplicator] says of a key.
type Claim int

const (
	// ClaimNew: the key was not seen, or its last holder's lease expired;
	// the caller now holds it, under the [Lease] returned with it, and must
	// [Deduplicator.Commit] or [Deduplicator.Release] it.
	ClaimNew Claim = iota
	// ClaimDone: an event with this key was handled; skip it.
	ClaimDone
	// ClaimBusy: another request holds the key right now.
	ClaimBusy
)

// String returns "new", "done" or "busy".
func (c Claim) String() string {
	switch c {
	case ClaimNew:
		return "new"
	case ClaimDone:
		return "done"
	case ClaimBusy:
		return "busy"
	}
	return "claim(" + strconv.Itoa(int(c)) + ")"
}

// Lease names one holder's claim of a key: [Deduplicator.Claim] returns it
// with [ClaimNew], and the holder passes it to [Deduplicator.Commit] or
// [Deduplicator.Release]. It is opaque: a random token, or a counter in
// memory.
//
// A lease runs for a fixed time from the claim and is not renewed. Once it
// has run out, a copy of the event may claim the key anew (ClaimNew with
// another Lease), as if the holder had died; the old holder's Commit or
// Release then changes nothing and returns an error wrapping
// [ErrLeaseExpired].
type Lease string

// ErrLeaseExpired is wrapped by the error of a [Deduplicator.Commit] or
// [Deduplicator.Release] whose lease ran out (another request may hold the
// key now): the call changed nothing.
var ErrLeaseExpired = errors.New("smsgw24: the claim's lease expired")

// Defaults of the [Deduplicator] implementations: how long a claim holds
// without Commit or Release, how long a handled event is remembered (the
// gateway's retry window is not documented; 72 hours is what Stripe
// retries for), and how many handled events a [MemoryDeduplicator] keeps.
const (
	DefaultDedupLease     = 5 * time.Minute
	DefaultDedupRetention = 72 * time.Hour
	DefaultDedupKeys      = 100_000
)

// Deduplicator remembers which events were handled, so that the copies a
// gateway sends again (retries, duplicates) do not reach the callbacks
// twice. The [Handler] claims an event's key (see [EventKey]) before its
// callback runs, then commits the key when the callback succeeded or
// releases it when it failed, so that a retry after a failure reaches the
// callback again.
//
// A claim is a lease (see [Lease]): if its holder dies, or its callback
// runs past the lease, a later copy takes the key over. Keep
// [Handler.Timeout] below the lease, with a callback that honours its
// context, so that a callback is stopped before a copy on another replica
// may run it again.
//
// [MemoryDeduplicator] serves one process. Several replicas share a store:
// the modules [github.com/go-smsgw24/smsgw24/redisdedup] (Redis) and
// [github.com/go-smsgw24/smsgw24/sqldedup] (PostgreSQL, SQLite) implement
// it. Implementations must be safe for concurrent use; the test suite
// [github.com/go-smsgw24/smsgw24/smsgw24test.TestDeduplicator] checks one.
type Deduplicator interface {
	// Claim reports whether key is new, done, or held by another request.
	// For a new key ([ClaimNew]) it returns the [Lease] under which the caller
	// now holds it, until Commit, Release or the lease's end.
	Claim(ctx context.Context, key string) (Claim, Lease, error)
	// Commit marks a key held under lease as handled. If lease no longer
	// holds the key (it ran out, or was committed or released before), it
	// changes nothing and returns an error wrapping [ErrLeaseExpired].
	Commit(ctx context.Context, key string, lease Lease) error
	// Release gives up a key held under lease, as if it had never been
	// claimed. If lease no longer holds the key, it changes nothing and
	// returns an error wrapping [ErrLeaseExpired].
	Release(ctx context.Context, key string, lease Lease) error
}

// EventKey is the key under which an event counts as a duplicate: a status
// update is new per sms_id and status ("status:42:7"), a message per device
// and sms_id ("text:12345:42", "image:12345:43").
func EventKey(ev Event) string {
	buf := make([]byte, 0, 40)
	buf = append(buf, ev.Kind()...)
	buf = append(buf, ':')
	switch e := ev.(type) {
	case *StatusUpdate:
		buf = strconv.AppendInt(buf, e.SMSID, 10)
		buf = append(buf, ':')
		buf = strconv.AppendInt(buf, int64(e.Status), 10)
	case *TextMessage:
		buf = strconv.AppendInt(buf, e.DeviceID, 10)
		buf = append(buf, ':')
		buf = strconv.AppendInt(buf, e.SMSID, 10)
	case *ImageMessage:
		buf = strconv.AppendInt(buf, e.DeviceID, 10)
		buf = append(buf, ':')
		buf = strconv.AppendInt(buf, e.SMSID, 10)
	}
	return string(buf)
}

// MemoryDeduplicator is a [Deduplicator] for one process. It remembers at most
// MaxKeys handled keys for Retention each, forgetting the oldest first; a
// key whose callback is still running (held under a lease that has not run
// out) is never forgotten, so held keys come on top of MaxKeys, as many as
// callbacks run at once. Its zero value is ready to use, with
// [DefaultDedupKeys], [DefaultDedupLease] and [DefaultDedupRetention].
type MemoryDeduplicator struct {
	// MaxKeys bounds how many handled keys are kept; 0 means
	// [DefaultDedupKeys].
	MaxKeys int
	// Lease is how long a claim holds without Commit or Release; 0 means
	// [DefaultDedupLease].
	Lease time.Duration
	// Retention is how long a handled key is remembered; 0 means
	// [DefaultDedupRetention].
	Retention time.Duration
	// Now is the clock; nil means [time.Now]. Tests set it.
	Now func() time.Time

	mu    sync.Mutex
	held  map[string]memoryLease
	done  map[string]*list.Element
	order list.List // of *doneKey, in order of expiry
	next  uint64    // the last lease given
}

// memoryLease is a held key: its lease's number and end.
type memoryLease struct {
	n       uint64
	expires time.Time
}

type doneKey struct {
	key     string
	expires time.Time
}

func (m *MemoryDeduplicator) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// Claim implements [Deduplicator].
func (m *MemoryDeduplicator) Claim(_ context.Context, key string) (Claim, Lease, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.expire(now)
	if _, ok := m.done[key]; ok {
		return ClaimDone, "", nil
	}
	if l, ok := m.held[key]; ok && now.Before(l.expires) {
		return ClaimBusy, "", nil
	}
	if m.held == nil {
		m.held = make(map[string]memoryLease)
	}
	m.next++
	m.held[key] = memoryLease{n: m.next, expires: now.Add(orDefault(m.Lease, DefaultDedupLease))}
	return ClaimNew, Lease(strconv.FormatUint(m.next, 10)), nil
}

// Commit implements [Deduplicator].
func (m *MemoryDeduplicator) Commit(_ context.Context, key string, lease Lease) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if err := m.giveUp(key, lease, now); err != nil {
		return err
	}
	if m.done == nil {
		m.done = make(map[string]*list.Element)
	}
	for limit := orDefault(m.MaxKeys, DefaultDedupKeys); len(m.done) >= limit; {
		m.forget(m.order.Front())
	}
	m.done[key] = m.order.PushBack(&doneKey{key: key, expires: now.Add(orDefault(m.Retention, DefaultDedupRetention))})
	return nil
}

// Release implements [Deduplicator].
func (m *MemoryDeduplicator) Release(_ context.Context, key string, lease Lease) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.giveUp(key, lease, m.now())
}

// giveUp ends the hold of key under lease, or says why it cannot. A held
// key whose lease ran out is dropped as well: it holds nothing any more.
func (m *MemoryDeduplicator) giveUp(key string, lease Lease, now time.Time) error {
	l, ok := m.held[key]
	if !ok || strconv.FormatUint(l.n, 10) != string(lease) {
		return ErrLeaseExpired
	}
	delete(m.held, key)
	if !now.Before(l.expires) {
		return ErrLeaseExpired
	}
	return nil
}

// Len returns how many keys are remembered now, held or handled.
func (m *MemoryDeduplicator) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.held) + len(m.done)
}

// expire forgets the handled keys whose time is up. The list is in order of
// expiry, since every key gets the same Retention from its commit.
func (m *MemoryDeduplicator) expire(now time.Time) {
	for el := m.order.Front(); el != nil && !now.Before(el.Value.(*doneKey).expires); el = m.order.Front() {
		m.forget(el)
	}
}

func (m *MemoryDeduplicator) forget(el *list.Element) {
	delete(m.done, el.Value.(*doneKey).key)
	m.order.Remove(el)
}

func orDefault[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}
