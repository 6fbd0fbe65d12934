// main_test.go builds the receiver binary once for the whole test run,
// and runs one scenario: its
// receivers, the sender, the kill and the outage, the wait for delivery,
// and the report.

package fault

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// receiverBin is the receiver built by TestMain.
var receiverBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "smsgw24-fault-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	receiverBin = filepath.Join(dir, "receiver")
	args := []string{"build", "-o", receiverBin}
	if raceEnabled && os.Getenv(RaceReceiverEnv) == "1" {
		args = append(args, "-race")
	}
	if out, err := exec.Command("go", append(args, "../receiver")...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the receiver: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// Environment variables for a longer run than the default.
const (
	// EventsEnv sets how many events each scenario posts.
	EventsEnv = "SMSGW24_FAULT_EVENTS"
	// RaceReceiverEnv=1 builds the receiver with -race too, when the
	// tests run with it. By default it is built without: the pure-Go
	// SQLite under the race detector makes the receiver many times slower,
	// and the scenarios would take far more than a few minutes.
	RaceReceiverEnv = "SMSGW24_FAULT_RACE_RECEIVER"
	// DeadlineEnv bounds how long a scenario waits for every event to be
	// answered 200 and delivered (a Go duration); 5m by default.
	DeadlineEnv = "SMSGW24_FAULT_DEADLINE"
)

func events(t *testing.T, def int) int {
	if s := os.Getenv(EventsEnv); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(t, err, EventsEnv)
		return n
	}
	return def
}

func deadline(t *testing.T) time.Duration {
	if s := os.Getenv(DeadlineEnv); s != "" {
		d, err := time.ParseDuration(s)
		require.NoError(t, err, DeadlineEnv)
		return d
	}
	return 5 * time.Minute
}

// backend is a server a scenario stops and starts again.
type backend interface {
	Stop() error
	Start() error
}

// scenario is one run: receivers started with args, events posted with
// copies, a receiver killed, a backend stopped.
type scenario struct {
	receivers int
	args      []string // flags of every receiver; -callback-log is added
	events    int
	kill      int  // index of the receiver killed when a quarter of the posts are done; -1: none
	restart   bool // start the killed receiver again, on the same flags
	outage    backend
	inbox     bool // wait for delivery after the last 200
}

const token = "fault-token-3b9d"

func (sc scenario) run(t *testing.T) (*Run, *Report) {
	t.Helper()
	dir := t.TempDir()
	evs, err := Events(sc.events)
	require.NoError(t, err)
	var rcvs []*Receiver
	var logs []string
	for i := range sc.receivers {
		log := filepath.Join(dir, fmt.Sprintf("callbacks-%d.log", i))
		logs = append(logs, log)
		r := &Receiver{
			Bin:    receiverBin,
			Args:   append([]string{"-token", token, "-log-level", "WARN", "-callback-log", log}, sc.args...),
			Stderr: filepath.Join(dir, fmt.Sprintf("receiver-%d.log", i)),
		}
		require.NoError(t, r.Start())
		t.Cleanup(func() {
			if r.Addr() != "" {
				_ = r.Stop()
			}
		})
		rcvs = append(rcvs, r)
	}
	s := &Sender{Receivers: rcvs, Token: token, Workers: 8, PairEvery: 4, CopyEvery: 5, CopyLag: 100}
	total := s.Posts(len(evs))
	ctx, cancel := context.WithTimeout(context.Background(), deadline(t))
	defer cancel()

	run := &Run{Events: evs}
	faults := make(chan error, 1)
	go func() { faults <- sc.inject(ctx, s, total, rcvs, logs, run) }()
	began := time.Now()
	run.Answers = s.Run(ctx, evs)
	require.NoError(t, <-faults)
	t.Logf("every post answered 200 after %s", time.Since(began).Round(time.Second))

	if sc.inbox {
		// Wait until every event answered 200 is delivered, or the deadline.
		for ctx.Err() == nil {
			steps, err := ReadCallbackLogs(logs...)
			require.NoError(t, err)
			run.Steps = steps
			if run.undelivered() == 0 {
				t.Logf("every event answered 200 delivered after %s", time.Since(began).Round(time.Second))
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	for _, r := range rcvs {
		if r.Addr() != "" {
			require.NoError(t, r.Stop())
		}
	}
	run.Steps, err = ReadCallbackLogs(logs...)
	require.NoError(t, err)
	check := CheckDedup
	if sc.inbox {
		check = CheckInbox
	}
	return run, check(run)
}

// inject kills receiver sc.kill once a quarter of the posts are done, at a
// moment when one of its callbacks is running (waiting up to 10 s for
// one), and starts it again if sc.restart; it stops sc.outage for 3 s once
// more than half are done.
func (sc scenario) inject(ctx context.Context, s *Sender, total int, rcvs []*Receiver, logs []string, run *Run) error {
	waitFor := func(n int) bool {
		for s.Done() < n {
			if ctx.Err() != nil {
				return false
			}
			time.Sleep(5 * time.Millisecond)
		}
		return true
	}
	if sc.kill >= 0 && waitFor(total/4) {
		for end := time.Now().Add(10 * time.Second); time.Now().Before(end) && !callbackRunning(logs[sc.kill]); {
			time.Sleep(time.Millisecond)
		}
		pid, err := rcvs[sc.kill].Kill()
		if err != nil {
			return err
		}
		run.Kills = append(run.Kills, Kill{PID: pid, At: time.Now()})
		if sc.restart {
			time.Sleep(500 * time.Millisecond)
			if err := rcvs[sc.kill].Start(); err != nil {
				return err
			}
		}
	}
	if sc.outage != nil && waitFor(total*55/100) {
		if err := sc.outage.Stop(); err != nil {
			return err
		}
		o := Outage{Down: time.Now()}
		time.Sleep(3 * time.Second)
		o.Up = time.Now()
		run.Outages = append(run.Outages, o)
		if err := sc.outage.Start(); err != nil {
			return err
		}
	}
	return nil
}

// report logs the report, and fails t with its problems.
func report(t *testing.T, name string, r *Report) {
	t.Helper()
	t.Logf("%s: %s", name, r)
	if len(r.Problems) > 0 {
		t.Fail()
	}
}

// TestMemoryDeduplicatorForgetsOnRestart is the check against itself:
// one receiver with an in-memory Deduplicator, killed and started again,
// forgets the events it handled, and the copies posted after the restart
// run their callbacks again. The check must see that.
func TestMemoryDeduplicatorForgetsOnRestart(t *testing.T) {
	sc := scenario{receivers: 1, args: []string{"-dedup", "memory", "-callback-delay", "1ms"}, events: 600, kill: 0, restart: true}
	_, r := sc.run(t)
	t.Logf("memory, restarted: %s", r)
	require.NotEmpty(t, r.Problems, "a Deduplicator that forgets went unnoticed")
	require.Contains(t, r.Problems[0], "callback ran 2 times")
}

// callbackRunning reports whether the callback log at path ends with a
// callback that started and has not finished.
func callbackRunning(path string) bool {
	steps, err := ReadCallbackLogs(path)
	if err != nil || len(steps) == 0 {
		return false
	}
	last := steps[len(steps)-1]
	return last.Step == "start"
}
