// dedup.go holds what keeps one event from reaching the callbacks twice:
// the Deduplicator interface the Handler calls, EventKey, and
// MemoryDeduplicator, a bounded in-memory implementation for one process.

package smsgw24

import (
	"container/list"
	"context"
	"strconv"
	"sync"
	"time"
)

// Claim is what a Deduplicator says of a key.
type Claim int

const (
	// ClaimNew: the key was not seen; the caller now holds it and must
	// Commit or Release it.
	ClaimNew Claim = iota
	// ClaimDone: an event with this key was handled; skip it.
	ClaimDone
	// ClaimBusy: another request holds the key right now.
	ClaimBusy
)

// Deduplicator remembers which events were handled, so that the copies a
// gateway sends again (retries, duplicates) do not reach the callbacks
// twice. The Handler claims an event's key before its callback runs, then
// commits the key when the callback succeeded or releases it when it
// failed, so that a retry after a failure reaches the callback again.
//
// MemoryDeduplicator serves one process. Several replicas need a shared
// store; the README shows one on Redis (SET NX with an expiry) and one on a
// SQL table with a unique key. Implementations must be safe for concurrent
// use.
type Deduplicator interface {
	// Claim reports whether key is new, done, or held by another request.
	// For a new key the caller holds it until Commit or Release; a store
	// should let a held key expire, in case its holder dies.
	Claim(ctx context.Context, key string) (Claim, error)
	// Commit marks a held key as handled.
	Commit(ctx context.Context, key string) error
	// Release gives up a held key, as if it had never been claimed.
	Release(ctx context.Context, key string) error
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

// Defaults of MemoryDeduplicator.
const (
	DefaultDedupKeys = 100_000
	DefaultDedupTTL  = 24 * time.Hour
)

// MemoryDeduplicator is a Deduplicator for one process. It remembers at most
// MaxKeys keys for TTL each, forgetting the oldest first. Its zero value is
// ready to use, with DefaultDedupKeys and DefaultDedupTTL.
type MemoryDeduplicator struct {
	// MaxKeys bounds how many keys are kept; 0 means DefaultDedupKeys.
	MaxKeys int
	// TTL is how long a handled key is remembered; 0 means DefaultDedupTTL.
	// A held key that was neither committed nor released is given up after
	// TTL too.
	TTL time.Duration
	// Now is the clock; nil means time.Now. Tests set it.
	Now func() time.Time

	mu    sync.Mutex
	keys  map[string]*list.Element
	order list.List // of *dedupEntry, oldest first
}

type dedupEntry struct {
	key     string
	done    bool
	expires time.Time
}

func (m *MemoryDeduplicator) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *MemoryDeduplicator) ttl() time.Duration {
	if m.TTL > 0 {
		return m.TTL
	}
	return DefaultDedupTTL
}

// Claim implements Deduplicator.
func (m *MemoryDeduplicator) Claim(_ context.Context, key string) (Claim, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.expire(now)
	if el, ok := m.keys[key]; ok {
		if el.Value.(*dedupEntry).done {
			return ClaimDone, nil
		}
		return ClaimBusy, nil
	}
	if m.keys == nil {
		m.keys = make(map[string]*list.Element)
	}
	limit := m.MaxKeys
	if limit <= 0 {
		limit = DefaultDedupKeys
	}
	for len(m.keys) >= limit {
		m.remove(m.order.Front())
	}
	m.keys[key] = m.order.PushBack(&dedupEntry{key: key, expires: now.Add(m.ttl())})
	return ClaimNew, nil
}

// Commit implements Deduplicator.
func (m *MemoryDeduplicator) Commit(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.keys[key]; ok {
		e := el.Value.(*dedupEntry)
		e.done = true
		e.expires = m.now().Add(m.ttl())
		m.order.MoveToBack(el)
	}
	return nil
}

// Release implements Deduplicator.
func (m *MemoryDeduplicator) Release(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.keys[key]; ok && !el.Value.(*dedupEntry).done {
		m.remove(el)
	}
	return nil
}

// Len returns how many keys are remembered now.
func (m *MemoryDeduplicator) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.keys)
}

// expire forgets the keys whose time is up. The list is in order of
// expiry, since every key gets the same TTL from its last change.
func (m *MemoryDeduplicator) expire(now time.Time) {
	for el := m.order.Front(); el != nil && !now.Before(el.Value.(*dedupEntry).expires); el = m.order.Front() {
		m.remove(el)
	}
}

func (m *MemoryDeduplicator) remove(el *list.Element) {
	delete(m.keys, el.Value.(*dedupEntry).key)
	m.order.Remove(el)
}
