// binary_test.go builds the command and runs it as users do: demo on a
// fresh build exits 0, and listen stops cleanly on an interrupt (Ctrl-C).

package main

import (
	"bufio"
	"fmt"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildBinary builds the command into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the command; skipped with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build with")
	}
	bin := filepath.Join(t.TempDir(), "smsgw24")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return bin
}

func TestBinary(t *testing.T) {
	bin := buildBinary(t)

	t.Run("demo", func(t *testing.T) {
		out, err := exec.Command(bin, "demo").Output()
		require.NoError(t, err, "demo exits 0")
		assert.Contains(t, string(out), fmt.Sprintf("%d of %d fixtures received and decoded", len(smsgw24test.Fixtures()), len(smsgw24test.Fixtures())))
	})

	t.Run("listen stops on Ctrl-C", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("no way to send an interrupt to a process on Windows")
		}
		cmd := exec.Command(bin, "listen", "-addr", "127.0.0.1:0", "-json", "-token", "s3cret")
		stderr, err := cmd.StderrPipe()
		require.NoError(t, err)
		var stdout strings.Builder
		cmd.Stdout = &stdout
		require.NoError(t, cmd.Start())
		t.Cleanup(func() { _ = cmd.Process.Kill() })

		lines := make(chan string)
		go func() {
			defer close(lines)
			for s := bufio.NewScanner(stderr); s.Scan(); {
				lines <- s.Text()
			}
		}()
		next := func(what string) string {
			t.Helper()
			select {
			case line, ok := <-lines:
				require.True(t, ok, "stderr ended while waiting for %s", what)
				return line
			case <-time.After(30 * time.Second):
				t.Fatalf("waiting for %s", what)
			}
			return ""
		}
		url := listeningOn.FindStringSubmatch(next("the listening address"))
		require.NotNil(t, url)

		code, out, errOut := runCmd(t, "send", "-url", url[1], "-token", "s3cret", "text_v2_json")
		require.Equal(t, exitOK, code, out+errOut)

		require.NoError(t, cmd.Process.Signal(os.Interrupt))
		var last string
		stopped := time.NewTimer(30 * time.Second)
		defer stopped.Stop()
	read:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					break read
				}
				last = line
			case <-stopped.C:
				t.Fatal("listen did not stop on the interrupt")
			}
		}
		require.NoError(t, cmd.Wait(), "listen exits 0 on Ctrl-C")
		assert.Equal(t, "smsgw24 listen: stopped; events received: 1, requests rejected: 0", last)
		assert.Contains(t, stdout.String(), `{"kind":"text","event":{"sms_id":9911203,`)
	})
}
