// crash_test.go kills a process that stores and delivers events with
// SIGKILL and counts: every event whose Store returned nil is delivered,
// by the killed process, by the restarted one (SQLite) or by a replica
// (PostgreSQL).

package inbox

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-smsgw24/smsgw24"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/require"
)

// crashChildEnv, set to a dsn, makes the test binary the process that is
// killed: it stores events and delivers them, printing "stored KEY" once a
// Store returned nil and "delivered KEY" in the callback.
const crashChildEnv = "SMSGW24_INBOX_CRASH_CHILD"

// crashChild is the process that is killed; it never returns.
func crashChild(dsn string) {
	var mu sync.Mutex
	say := func(what, key string) {
		mu.Lock()
		fmt.Printf("%s %s\n", what, key)
		mu.Unlock()
	}
	ctx := context.Background()
	ib, err := Open(ctx, dsn, Handlers{
		Logger:          testLogger,
		DeliveryTimeout: time.Second,
		OnEvent: func(ctx context.Context, ev smsgw24.Event) error {
			say("delivered", smsgw24.EventKey(ev))
			time.Sleep(100 * time.Millisecond) // so that some are in flight at the kill
			return nil
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	go func() { _ = ib.Run(ctx) }()
	var wg sync.WaitGroup
	for s := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				ev := &smsgw24.TextMessage{SMSID: int64(i*4 + s + 1), DeviceID: 7, Body: "crash"}
				if err := ib.Store(ctx, ev); err == nil {
					say("stored", smsgw24.EventKey(ev))
				}
			}
		})
	}
	wg.Wait()
}

// TestSurvivesKill kills a process that stores and delivers, with
// SIGKILL: on SQLite the file is then opened again, as by a restarted
// process; on PostgreSQL a replica that ran beside it carries on.
func TestSurvivesKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL on Windows")
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { testSurvivesKill(t, e.dsn(t), e.name == "postgres") })
	}
}

func testSurvivesKill(t *testing.T, dsn string, replica bool) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dsn)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	stored := map[string]bool{}
	deliveredBefore := map[string]bool{}
	lines := bufio.NewScanner(out)
	read := func() {
		what, key, _ := strings.Cut(lines.Text(), " ")
		switch what {
		case "stored":
			stored[key] = true
		case "delivered":
			deliveredBefore[key] = true
		}
	}
	for lines.Scan() {
		read()
		if len(stored) >= 20 {
			break
		}
	}
	var rec recorder
	h := Handlers{OnEvent: rec.OnEvent, DeliveryTimeout: time.Second}
	var ib *Inbox
	if replica { // it runs beside the process that is killed
		ib = open(t, dsn, h)
		run(t, ib)
	}
	for lines.Scan() {
		read()
		if len(stored) >= 500 && len(deliveredBefore) >= 20 {
			break
		}
	}
	require.NoError(t, cmd.Process.Kill())
	for lines.Scan() { // what the child wrote before it died
		read()
	}
	_ = cmd.Wait()

	if !replica { // the process restarted on the file
		ib = open(t, dsn, h)
		run(t, ib)
	}
	missing := func() []string {
		var keys []string
		for key := range stored {
			if !deliveredBefore[key] && len(rec.get(key)) == 0 {
				keys = append(keys, key)
			}
		}
		return keys
	}
	waitFor(t, "every acknowledged event delivered", func() bool { return len(missing()) == 0 })
	// What was in flight at the kill is delivered again: River marked it
	// running, and it is rescued after 2×DeliveryTimeout.
	waitFor(t, "every stored event delivered, those in flight at the kill too", func() bool {
		res, err := ib.engine.list(t.Context(), river.NewJobListParams().Kinds(eventKind).States(
			rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable,
			rivertype.JobStateScheduled, rivertype.JobStatePending, rivertype.JobStateDiscarded))
		require.NoError(t, err)
		return len(res.Jobs) == 0
	})
	redelivered := 0
	for key := range deliveredBefore {
		if len(rec.get(key)) > 0 {
			redelivered++
		}
	}
	t.Logf("acknowledged %d; delivered by the killed process %d, by the other %d, both %d",
		len(stored), len(deliveredBefore), rec.count(), redelivered)
}
