// inbox_test.go tests the inbox on both engines: what is delivered equals
// what was stored, copies are stored once, failing callbacks are retried
// and dead-lettered, dead letters are replayed, concurrent Opens and
// Stores succeed.

package inbox

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/internal/realserver"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
	"github.com/riverqueue/river"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	if dsn := os.Getenv(crashChildEnv); dsn != "" {
		crashChild(dsn)
		return
	}
	realserver.Main(m)
}

// engines are the dsns of a new, empty inbox on each engine.
var engines = []struct {
	name string
	dsn  func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "inbox.db") }},
	{"postgres", func(t *testing.T) string { return realserver.PostgresURL(t) }},
}

// testLogger shows River's warnings and errors only.
var testLogger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))

// quick are Handlers settings that keep tests short: retries at once.
func quick(h Handlers) Handlers {
	h.Backoff = func(int) time.Duration { return 10 * time.Millisecond }
	return h
}

// open opens dsn with h and closes it at the end of t.
func open(t *testing.T, dsn string, h Handlers) *Inbox {
	t.Helper()
	if h.Logger == nil {
		h.Logger = testLogger
	}
	ib, err := Open(t.Context(), dsn, h)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, ib.Close()) })
	return ib
}

// run runs ib until the end of t.
func run(t *testing.T, ib *Inbox) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ib.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
}

// waitFor waits for cond, failing t after a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, 3*time.Minute, 20*time.Millisecond, "waiting for %s", what)
}

// fixtureEvents are the events of every valid fixture, each given its own
// sms_id so that no two are copies of each other.
func fixtureEvents(t *testing.T) []smsgw24.Event {
	t.Helper()
	var events []smsgw24.Event
	for i, f := range smsgw24test.Fixtures() {
		ev, err := smsgw24.Parse(f.ContentType, f.Body)
		require.NoError(t, err, f.Name)
		id := int64(1000 + i)
		switch e := ev.(type) {
		case *smsgw24.StatusUpdate:
			e.SMSID = id
		case *smsgw24.TextMessage:
			e.SMSID = id
		case *smsgw24.ImageMessage:
			e.SMSID = id
		}
		events = append(events, ev)
	}
	require.NotEmpty(t, events)
	return events
}

// recorder collects delivered events by key.
type recorder struct {
	mu     sync.Mutex
	events map[string][]smsgw24.Event
}

func (r *recorder) OnEvent(_ context.Context, ev smsgw24.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.events == nil {
		r.events = make(map[string][]smsgw24.Event)
	}
	k := smsgw24.EventKey(ev)
	r.events[k] = append(r.events[k], ev)
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

func (r *recorder) get(key string) []smsgw24.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.events[key]
}

// stored counts the events in the inbox, in any state.
func stored(t *testing.T, ib *Inbox) int {
	t.Helper()
	res, err := ib.engine.list(t.Context(), river.NewJobListParams().Kinds(eventKind).First(10_000))
	require.NoError(t, err)
	return len(res.Jobs)
}

func TestDeliversWhatWasStored(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			var rec recorder
			ib := open(t, e.dsn(t), Handlers{OnEvent: rec.OnEvent})
			events := fixtureEvents(t)
			for _, ev := range events {
				require.NoError(t, ib.Store(t.Context(), ev))
				require.NoError(t, ib.Store(t.Context(), ev), "a copy is acknowledged")
			}
			assert.Equal(t, len(events), stored(t, ib), "copies are stored once")
			run(t, ib)
			waitFor(t, "every event delivered", func() bool { return rec.count() == len(events) })
			for _, ev := range events {
				assert.Equal(t, []smsgw24.Event{ev}, rec.get(smsgw24.EventKey(ev)), smsgw24.EventKey(ev))
			}
		})
	}
}

func TestCallbacksByKind(t *testing.T) {
	var status, text, image atomic.Int32
	h := Handlers{
		OnStatus: func(context.Context, *smsgw24.StatusUpdate) error { status.Add(1); return nil },
		OnText:   func(context.Context, *smsgw24.TextMessage) error { text.Add(1); return nil },
		OnImage:  func(context.Context, *smsgw24.ImageMessage) error { image.Add(1); return nil },
	}
	ib := open(t, engines[0].dsn(t), h)
	want := map[smsgw24.Kind]int32{}
	for _, ev := range fixtureEvents(t) {
		want[ev.Kind()]++
		require.NoError(t, ib.Store(t.Context(), ev))
	}
	run(t, ib)
	waitFor(t, "every event delivered", func() bool {
		return status.Load()+text.Load()+image.Load() == want["status"]+want["text"]+want["image"]
	})
	assert.Equal(t, want, map[smsgw24.Kind]int32{"status": status.Load(), "text": text.Load(), "image": image.Load()})
}

// flaky fails the deliveries of every event until it has failed failures
// times, then records them; fail forever with failures < 0 until healed.
type flaky struct {
	recorder
	failures int32
	failed   atomic.Int32
	healed   atomic.Bool
}

var errDown = errors.New("the application's database is down")

func (f *flaky) OnEvent(ctx context.Context, ev smsgw24.Event) error {
	if !f.healed.Load() && (f.failures < 0 || f.failed.Load() < f.failures) {
		f.failed.Add(1)
		return errDown
	}
	return f.recorder.OnEvent(ctx, ev)
}

func TestRetriedUntilTheCallbackRecovers(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			f := &flaky{failures: 3}
			ib := open(t, e.dsn(t), quick(Handlers{OnEvent: f.OnEvent}))
			ev := fixtureEvents(t)[0]
			require.NoError(t, ib.Store(t.Context(), ev))
			run(t, ib)
			waitFor(t, "the event delivered", func() bool { return f.count() == 1 })
			assert.Equal(t, []smsgw24.Event{ev}, f.get(smsgw24.EventKey(ev)))
			assert.Equal(t, int32(3), f.failed.Load())
			dead, err := ib.DeadLetters(t.Context())
			require.NoError(t, err)
			assert.Empty(t, dead)
		})
	}
}

func TestDeadLetterReplayed(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			f := &flaky{failures: -1}
			ib := open(t, e.dsn(t), quick(Handlers{OnEvent: f.OnEvent, MaxAttempts: 2}))
			events := fixtureEvents(t)
			ev := events[len(events)-1]
			require.NoError(t, ib.Store(t.Context(), ev))
			run(t, ib)

			var dead []DeadLetter
			waitFor(t, "a dead letter", func() bool {
				var err error
				dead, err = ib.DeadLetters(t.Context())
				require.NoError(t, err)
				return len(dead) == 1
			})
			assert.Equal(t, ev, dead[0].Event)
			assert.Equal(t, 2, dead[0].Attempts)
			assert.Equal(t, errDown.Error(), dead[0].LastError)
			assert.Equal(t, int32(2), f.failed.Load())

			// The gateway sends it again: acknowledged, still a dead letter.
			require.NoError(t, ib.Store(t.Context(), ev))
			assert.Equal(t, 1, stored(t, ib))
			again, err := ib.DeadLetters(t.Context())
			require.NoError(t, err)
			assert.Equal(t, []int64{dead[0].ID}, ids(again))

			f.healed.Store(true)
			require.NoError(t, ib.Replay(t.Context(), dead[0].ID))
			waitFor(t, "the replayed event delivered", func() bool { return f.count() == 1 })
			assert.Equal(t, []smsgw24.Event{ev}, f.get(smsgw24.EventKey(ev)))
			after, err := ib.DeadLetters(t.Context())
			require.NoError(t, err)
			assert.Empty(t, after)

			waitFor(t, "the delivery recorded", func() bool {
				return errors.Is(ib.Replay(t.Context(), dead[0].ID), ErrNotDeadLetter)
			})
			assert.ErrorIs(t, ib.Replay(t.Context(), dead[0].ID+1000), ErrNotFound)
		})
	}
}

func ids(dls []DeadLetter) []int64 {
	var out []int64
	for _, dl := range dls {
		out = append(out, dl.ID)
	}
	return out
}

func TestNoCallbackIsADeadLetter(t *testing.T) {
	ib := open(t, engines[0].dsn(t), quick(Handlers{
		OnStatus:    func(context.Context, *smsgw24.StatusUpdate) error { return nil },
		MaxAttempts: 1,
	}))
	var text smsgw24.Event
	for _, ev := range fixtureEvents(t) {
		if ev.Kind() == smsgw24.KindText {
			text = ev
			break
		}
	}
	require.NoError(t, ib.Store(t.Context(), text))
	run(t, ib)
	var dead []DeadLetter
	waitFor(t, "a dead letter", func() bool {
		var err error
		dead, err = ib.DeadLetters(t.Context())
		require.NoError(t, err)
		return len(dead) == 1
	})
	assert.Contains(t, dead[0].LastError, ErrNoCallback.Error())
}

func TestConcurrentStores(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			var rec recorder
			ib := open(t, e.dsn(t), Handlers{OnEvent: rec.OnEvent})
			run(t, ib)
			const senders, each = 4, 50
			var wg sync.WaitGroup
			errs := make(chan error, 2*senders*each)
			for s := range senders {
				wg.Go(func() {
					for i := range each {
						ev := &smsgw24.TextMessage{SMSID: int64(s*each + i + 1), DeviceID: 7, Body: "hello"}
						errs <- ib.Store(t.Context(), ev)
						errs <- ib.Store(t.Context(), ev) // a copy at once
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			waitFor(t, "every event delivered", func() bool { return rec.count() == senders*each })
			assert.Equal(t, senders*each, stored(t, ib))
		})
	}
}

func TestConcurrentOpens(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			dsn := e.dsn(t)
			const n = 4
			var wg sync.WaitGroup
			inboxes := make([]*Inbox, n)
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() { inboxes[i], errs[i] = Open(t.Context(), dsn, Handlers{Logger: testLogger}) })
			}
			wg.Wait()
			for i := range n {
				require.NoError(t, errs[i], "Open %d of %d on a new database", i+1, n)
				require.NoError(t, inboxes[i].Store(t.Context(), &smsgw24.StatusUpdate{SMSID: int64(i + 1), Status: smsgw24.StatusDelivered}))
			}
			assert.Equal(t, n, stored(t, inboxes[0]))
			for _, ib := range inboxes {
				assert.NoError(t, ib.Close())
			}
		})
	}
}

func TestOpenRejectsBadDSN(t *testing.T) {
	for _, dsn := range []string{"", "mysql://u:secret@h/db", "sqlite:", "sqlite::memory:", "sqlite:a.db?mode=ro"} {
		_, err := Open(t.Context(), dsn, Handlers{})
		require.Error(t, err, dsn)
		assert.NotContains(t, err.Error(), "secret")
	}
}

func TestDefaultBackoff(t *testing.T) {
	for attempt, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 5: 16 * time.Second, 13: time.Hour, 100: time.Hour} {
		for range 20 {
			got := DefaultBackoff(attempt)
			assert.GreaterOrEqual(t, got, want*8/10, "attempt %d", attempt)
			assert.LessOrEqual(t, got, want*12/10, "attempt %d", attempt)
		}
	}
}
