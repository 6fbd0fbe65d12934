// crash_test.go kills a process that stores and delivers events on a
// SQLite file with SIGKILL, reopens the file, and counts: every event whose
// Store returned nil is delivered, by the killed process or after the
// restart.

package inbox

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-smsgw24/smsgw24"
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

func TestSQLiteSurvivesKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL on Windows")
	}
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "inbox.db")
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
	for lines.Scan() {
		what, key, _ := strings.Cut(lines.Text(), " ")
		switch what {
		case "stored":
			stored[key] = true
		case "delivered":
			deliveredBefore[key] = true
		}
		if len(stored) >= 500 && len(deliveredBefore) >= 20 {
			break
		}
	}
	require.NoError(t, cmd.Process.Kill())
	for lines.Scan() { // what the child wrote before it died
		what, key, _ := strings.Cut(lines.Text(), " ")
		switch what {
		case "stored":
			stored[key] = true
		case "delivered":
			deliveredBefore[key] = true
		}
	}
	_ = cmd.Wait()

	var rec recorder
	ib := open(t, dsn, Handlers{OnEvent: rec.OnEvent, DeliveryTimeout: time.Second})
	run(t, ib)
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
	redelivered := 0
	for key := range deliveredBefore {
		if len(rec.get(key)) > 0 {
			redelivered++
		}
	}
	t.Logf("acknowledged %d, delivered before the kill %d, after the restart %d, of which redelivered %d",
		len(stored), len(deliveredBefore), rec.count(), redelivered)
}
