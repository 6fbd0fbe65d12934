// check_test.go pins the checks on made-up runs: what passes, and each
// way a run fails.

package fault

import (
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

func step(s, key string, pid, ms int) Step { return Step{Step: s, Key: key, PID: pid, At: at(ms)} }

func ok(ev, ms int) Answer {
	return Answer{Event: ev, Code: http.StatusOK, Sent: at(ms), Answered: at(ms + 1)}
}

func twoEvents() []Event { return []Event{{Key: "a"}, {Key: "b"}} }

func TestCheckDedup(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  Run
		want Report
		fail bool
	}{{
		name: "each once",
		run: Run{Events: twoEvents(), Answers: []Answer{ok(0, 0), ok(1, 0), ok(1, 5)},
			Steps: []Step{step("start", "a", 1, 0), step("commit", "a", 1, 1), step("start", "b", 2, 0), step("commit", "b", 2, 1)}},
		want: Report{Requests: 3, Events: 2, Acked: 2, Runs: 2, Distinct: 2},
	}, {
		name: "cut by the kill, run again elsewhere",
		run: Run{Events: twoEvents(), Answers: []Answer{ok(0, 0), {Event: 1, Code: 0}, ok(1, 50)}, Kills: []Kill{{PID: 1, At: at(10)}},
			Steps: []Step{step("start", "a", 2, 0), step("commit", "a", 2, 1), step("start", "b", 1, 5), step("start", "b", 2, 60), step("commit", "b", 2, 61)}},
		want: Report{Requests: 3, Unanswered: 1, Events: 2, Acked: 2, Runs: 3, Distinct: 2, CutByKill: 1},
	}, {
		name: "commit lost to the outage",
		run: Run{Events: twoEvents(), Answers: []Answer{ok(0, 0), {Event: 1, Code: 500}, ok(1, 50)},
			Steps: []Step{step("start", "a", 2, 0), step("commit", "a", 2, 1), step("start", "b", 1, 5), step("commit-failed", "b", 1, 6), step("start", "b", 2, 60), step("commit", "b", 2, 61)}},
		want: Report{Requests: 3, Refused: 1, Events: 2, Acked: 2, Runs: 3, Distinct: 2, CommitLost: 1},
	}, {
		name: "twice without a kill",
		run: Run{Events: twoEvents(), Answers: []Answer{ok(0, 0), ok(1, 0), ok(1, 50)},
			Steps: []Step{step("start", "a", 1, 0), step("commit", "a", 1, 1), step("start", "b", 1, 0), step("commit", "b", 1, 1), step("start", "b", 2, 50), step("commit", "b", 2, 51)}},
		want: Report{Requests: 3, Events: 2, Acked: 2, Runs: 3, Distinct: 2},
		fail: true,
	}, {
		name: "twice, the killed run committed",
		run: Run{Events: twoEvents(), Answers: []Answer{ok(0, 0), ok(1, 0), ok(1, 50)}, Kills: []Kill{{PID: 1, At: at(10)}},
			Steps: []Step{step("start", "a", 2, 0), step("commit", "a", 2, 1), step("start", "b", 1, 0), step("commit", "b", 1, 1), step("start", "b", 2, 50), step("commit", "b", 2, 51)}},
		want: Report{Requests: 3, Events: 2, Acked: 2, Runs: 3, Distinct: 2},
		fail: true,
	}, {
		name: "answered 200, never ran",
		run:  Run{Events: twoEvents(), Answers: []Answer{ok(0, 0), ok(1, 0)}, Steps: []Step{step("start", "a", 1, 0), step("commit", "a", 1, 1)}},
		want: Report{Requests: 2, Events: 2, Acked: 2, Runs: 1, Distinct: 1},
		fail: true,
	}, {
		name: "never answered 200",
		run:  Run{Events: twoEvents(), Answers: []Answer{ok(0, 0), {Event: 1, Code: 503}}, Steps: []Step{step("start", "a", 1, 0), step("commit", "a", 1, 1)}},
		want: Report{Requests: 2, Refused: 1, Events: 2, Acked: 1, Runs: 1, Distinct: 1},
		fail: true,
	}, {
		name: "200 while down",
		run: Run{Events: twoEvents(), Answers: []Answer{ok(0, 0), ok(1, 20)}, Outages: []Outage{{Down: at(10), Up: at(30)}},
			Steps: []Step{step("start", "a", 1, 0), step("commit", "a", 1, 1), step("start", "b", 1, 20), step("commit", "b", 1, 21)}},
		want: Report{Requests: 2, Events: 2, Acked: 2, Runs: 2, Distinct: 2, OKWhileDown: 1},
		fail: true,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			r := CheckDedup(&tc.run)
			assert.Equal(t, tc.fail, len(r.Problems) > 0, "problems: %q", r.Problems)
			r.Problems = nil
			assert.Equal(t, tc.want, *r)
		})
	}
}

func TestCheckInbox(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  Run
		want Report
		fail bool
	}{{
		name: "each delivered once",
		run: Run{Events: twoEvents(), Answers: []Answer{ok(0, 0), ok(1, 0)},
			Steps: []Step{step("start", "a", 1, 5), step("done", "a", 1, 6), step("start", "b", 1, 5), step("done", "b", 1, 6)}},
		want: Report{Requests: 2, Events: 2, Acked: 2, Runs: 2, Distinct: 2},
	}, {
		name: "in flight at the kill, delivered again",
		run: Run{Events: twoEvents(), Answers: []Answer{ok(0, 0), ok(1, 0)}, Kills: []Kill{{PID: 1, At: at(10)}},
			Steps: []Step{step("start", "a", 1, 5), step("done", "a", 1, 6), step("start", "b", 1, 8), step("start", "a", 2, 900), step("done", "a", 2, 901), step("start", "b", 2, 900), step("done", "b", 2, 901)}},
		want: Report{Requests: 2, Events: 2, Acked: 2, Runs: 4, Distinct: 2, CutByKill: 1, Redelivered: 2},
	}, {
		name: "in flight at the outage, delivered again",
		run: Run{Events: twoEvents(), Answers: []Answer{ok(0, 0), ok(1, 0)}, Outages: []Outage{{Down: at(10), Up: at(20)}},
			Steps: []Step{step("start", "a", 1, 5), step("done", "a", 1, 12), step("start", "a", 1, 900), step("done", "a", 1, 901), step("start", "b", 1, 5), step("done", "b", 1, 6)}},
		want: Report{Requests: 2, Events: 2, Acked: 2, Runs: 3, Distinct: 2, Redelivered: 1},
	}, {
		name: "delivered again without a fault",
		run: Run{Events: twoEvents(), Answers: []Answer{ok(0, 0), ok(1, 0)}, Kills: []Kill{{PID: 1, At: at(60_000)}},
			Steps: []Step{step("start", "a", 1, 5), step("done", "a", 1, 6), step("start", "a", 2, 900), step("done", "a", 2, 901), step("start", "b", 2, 5), step("done", "b", 2, 6)}},
		want: Report{Requests: 2, Events: 2, Acked: 2, Runs: 3, Distinct: 2, Redelivered: 1},
		fail: true,
	}, {
		name: "answered 200, never delivered",
		run: Run{Events: twoEvents(), Answers: []Answer{ok(0, 0), ok(1, 0)},
			Steps: []Step{step("start", "a", 1, 5), step("done", "a", 1, 6), step("start", "b", 1, 5)}},
		want: Report{Requests: 2, Events: 2, Acked: 2, Runs: 2, Distinct: 1},
		fail: true,
	}, {
		name: "a callback for an event never posted",
		run: Run{Events: twoEvents(), Answers: []Answer{ok(0, 0), ok(1, 0)},
			Steps: []Step{step("start", "a", 1, 5), step("done", "a", 1, 6), step("start", "b", 1, 5), step("done", "b", 1, 6), step("start", "c", 1, 5)}},
		want: Report{Requests: 2, Events: 2, Acked: 2, Runs: 2, Distinct: 2},
		fail: true,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			r := CheckInbox(&tc.run)
			assert.Equal(t, tc.fail, len(r.Problems) > 0, "problems: %q", r.Problems)
			r.Problems = nil
			assert.Equal(t, tc.want, *r)
		})
	}
}

func TestSenderPlan(t *testing.T) {
	s := &Sender{Receivers: make([]*Receiver, 3), PairEvery: 2, CopyEvery: 3, CopyLag: 2}
	// Event i goes to receiver i%3; an even event also to the next one at
	// once; every third event again two posts later, to the one after.
	want := []post{
		{0, 0}, {0, 1}, // 0 and its pair
		{1, 1},
		{2, 2}, {2, 0}, {0, 2}, // the copy of 0, two posts after its own
		{3, 0},
		{4, 1}, {4, 2}, {3, 2},
		{5, 2},
	}
	got := s.plan(6)
	require.Equal(t, want, got)
	require.Equal(t, len(got), s.Posts(6))
}

func TestReadCallbackLogs(t *testing.T) {
	dir := t.TempDir()
	good := dir + "/good.log"
	require.NoError(t, writeFile(good, "start status:1:7 42 1767322000000000000\ndone status:1:7 42 1767322000000000001\n"))
	steps, err := ReadCallbackLogs(good, dir+"/missing.log")
	require.NoError(t, err)
	require.Equal(t, []Step{
		{Step: "start", Key: "status:1:7", PID: 42, At: time.Unix(0, 1767322000000000000)},
		{Step: "done", Key: "status:1:7", PID: 42, At: time.Unix(0, 1767322000000000001)},
	}, steps)

	cut := dir + "/cut.log"
	require.NoError(t, writeFile(cut, "start status:1:7 42 1767322000000000000\ndone stat"))
	_, err = ReadCallbackLogs(cut)
	require.ErrorContains(t, err, "cut")
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o644) }
