// check.go turns a run (events posted, answers, callback logs, kills and
// outages) into a Report: the counts the fault scenarios publish, and the
// problems that fail them.

package fault

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Run is what a scenario observed.
type Run struct {
	Events  []Event
	Answers []Answer
	Steps   []Step
	Kills   []Kill
	Outages []Outage
}

// Kill is a receiver process ended with SIGKILL.
type Kill struct {
	PID int
	At  time.Time
}

// Outage is a time the backend was down: from Down, when it had stopped
// (its Stop returned), to Up, when it was being started again.
type Outage struct{ Down, Up time.Time }

// inFlight is how long before a kill or an outage a callback may have
// started and still be redelivered: its completion had not been recorded
// yet when the process or the database went away.
const inFlight = 10 * time.Second

// Report is what a scenario counted.
type Report struct {
	Requests    int // attempts posted, copies and retries included
	Unanswered  int // attempts without an answer (refused, reset, timed out)
	Refused     int // attempts answered with an error status (409 while a copy is handled, 5xx)
	Events      int // distinct events posted
	Acked       int // distinct events answered 200
	Runs        int // callbacks started
	Distinct    int // distinct events whose callback ran (de-duplication) or finished (inbox)
	CutByKill   int // callbacks started in a killed process and never committed (de-duplication) or finished (inbox)
	CommitLost  int // de-duplication: callbacks whose commit the backend failed
	Redelivered int // inbox: callbacks run again for an event, all of them in flight at a kill or an outage
	OKWhileDown int // 200s to requests sent and answered while the backend was down

	Problems []string // what fails the run; empty when it passed
}

func (r *Report) problem(format string, args ...any) {
	if len(r.Problems) < 20 {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	} else if len(r.Problems) == 20 {
		r.Problems = append(r.Problems, "…")
	}
}

// String is the report as the README shows it.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "requests %d (%d answered with an error, %d without an answer), events %d, answered 200 %d, callbacks run %d, distinct events run %d",
		r.Requests, r.Refused, r.Unanswered, r.Events, r.Acked, r.Runs, r.Distinct)
	fmt.Fprintf(&b, ", cut by the kill %d", r.CutByKill)
	if r.CommitLost > 0 {
		fmt.Fprintf(&b, ", commit lost to the outage %d", r.CommitLost)
	}
	fmt.Fprintf(&b, ", redelivered %d", r.Redelivered)
	fmt.Fprintf(&b, ", 200 while the backend was down %d", r.OKWhileDown)
	if len(r.Problems) > 0 {
		b.WriteString("\nFAIL:\n  " + strings.Join(r.Problems, "\n  "))
	}
	return b.String()
}

// common counts the answers, and checks that every event got its 200 and
// that no 200 came while the backend was down.
func (run *Run) common() (*Report, map[string]bool) {
	r := &Report{Events: len(run.Events)}
	acked := make(map[string]bool)
	for _, a := range run.Answers {
		r.Requests++
		switch {
		case a.Code == 0:
			r.Unanswered++
		case a.Code != http.StatusOK:
			r.Refused++
		}
		if a.Code != http.StatusOK {
			continue
		}
		acked[run.Events[a.Event].Key] = true
		for _, o := range run.Outages {
			if a.Sent.After(o.Down) && a.Answered.Before(o.Up) {
				r.OKWhileDown++
			}
		}
	}
	r.Acked = len(acked)
	if r.OKWhileDown > 0 {
		r.problem("%d requests were answered 200 while the backend was down", r.OKWhileDown)
	}
	for _, ev := range run.Events {
		if !acked[ev.Key] {
			r.problem("%s: never answered 200", ev.Key)
		}
	}
	return r, acked
}

func (run *Run) posted() map[string]bool {
	m := make(map[string]bool, len(run.Events))
	for _, ev := range run.Events {
		m[ev.Key] = true
	}
	return m
}

func (run *Run) killed(pid int) (time.Time, bool) {
	for _, k := range run.Kills {
		if k.PID == pid {
			return k.At, true
		}
	}
	return time.Time{}, false
}

// CheckDedup checks a run of receivers sharing a Deduplicator: every
// event answered 200 ran its callback exactly once, apart from callbacks
// cut by a kill (started in a killed process, never committed) and
// callbacks whose commit the backend failed (the outage).
func CheckDedup(run *Run) *Report {
	r, acked := run.common()
	type pidKey struct {
		pid int
		key string
	}
	starts := make(map[pidKey]int)
	settled := make(map[pidKey]int) // commit or commit-failed
	runs := make(map[string]int)
	excused := make(map[string]int)
	posted := run.posted()
	for _, s := range run.Steps {
		if !posted[s.Key] {
			r.problem("%s: a callback for an event never posted", s.Key)
			continue
		}
		k := pidKey{s.PID, s.Key}
		switch s.Step {
		case "start":
			starts[k]++
			runs[s.Key]++
			r.Runs++
		case "commit":
			settled[k]++
		case "commit-failed":
			settled[k]++
			excused[s.Key]++
			r.CommitLost++
		}
	}
	for k, n := range starts {
		if _, ok := run.killed(k.pid); ok && n > settled[k] {
			excused[k.key] += n - settled[k]
			r.CutByKill += n - settled[k]
		}
	}
	r.Distinct = len(runs)
	for _, ev := range run.Events {
		if !acked[ev.Key] {
			continue
		}
		switch n := runs[ev.Key]; {
		case n == 0:
			r.problem("%s: answered 200, but its callback never ran", ev.Key)
		case n-excused[ev.Key] > 1:
			r.problem("%s: answered 200, and its callback ran %d times (%d of them cut by the kill or the outage)", ev.Key, n, excused[ev.Key])
		}
	}
	return r
}

// CheckInbox checks a run of receivers storing events in the inbox: every
// event answered 200 is delivered (its callback finished), as many
// distinct events are delivered as were posted, and an event runs again
// only when its previous run was in flight at a kill (in the killed
// process) or at an outage.
func CheckInbox(run *Run) *Report {
	r, acked := run.common()
	posted := run.posted()
	delivered := make(map[string]bool)
	starts := make(map[string][]Step)
	type pidKey struct {
		pid int
		key string
	}
	open := make(map[pidKey]int) // runs started and not finished
	for _, s := range run.Steps {
		if !posted[s.Key] {
			r.problem("%s: a callback for an event never posted", s.Key)
			continue
		}
		switch s.Step {
		case "start":
			starts[s.Key] = append(starts[s.Key], s)
			open[pidKey{s.PID, s.Key}]++
			r.Runs++
		case "done":
			delivered[s.Key] = true
			open[pidKey{s.PID, s.Key}]--
		}
	}
	for k, n := range open {
		if _, ok := run.killed(k.pid); ok && n > 0 {
			r.CutByKill += n
		}
	}
	r.Distinct = len(delivered)
	for key := range acked {
		if !delivered[key] {
			r.problem("%s: answered 200, never delivered", key)
		}
	}
	if len(delivered) != len(posted) {
		r.problem("%d distinct events delivered, %d posted", len(delivered), len(posted))
	}
	for key, ss := range starts {
		slices.SortFunc(ss, func(a, b Step) int { return a.At.Compare(b.At) })
		for i := 1; i < len(ss); i++ {
			r.Redelivered++
			if !run.wasInFlight(ss[i-1]) {
				r.problem("%s: delivered again at %s though its run at %s (pid %d) was in flight at no kill or outage",
					key, ss[i].At.Format(time.TimeOnly), ss[i-1].At.Format(time.TimeOnly), ss[i-1].PID)
			}
		}
	}
	return r
}

// wasInFlight reports whether a run may not have been recorded as
// complete: it started in a process killed later, or before an outage
// ended, at most inFlight before the kill or the outage.
func (run *Run) wasInFlight(s Step) bool {
	if at, ok := run.killed(s.PID); ok && s.At.Before(at) && s.At.After(at.Add(-inFlight)) {
		return true
	}
	for _, o := range run.Outages {
		if s.At.Before(o.Up) && s.At.After(o.Down.Add(-inFlight)) {
			return true
		}
	}
	return false
}

// undelivered counts the events answered 200 whose callback has not
// finished yet.
func (run *Run) undelivered() int {
	done := make(map[string]bool)
	for _, s := range run.Steps {
		if s.Step == "done" {
			done[s.Key] = true
		}
	}
	n := 0
	seen := make(map[string]bool)
	for _, a := range run.Answers {
		key := run.Events[a.Event].Key
		if a.Code == http.StatusOK && !done[key] && !seen[key] {
			seen[key] = true
			n++
		}
	}
	return n
}
