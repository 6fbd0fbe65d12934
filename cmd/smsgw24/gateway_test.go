// gateway_test.go runs gateway beside listen, in-process and as built
// binaries, and checks that a message posted to the gateway's addsms as
// curl would post it reaches listen as its statuses, ending with 7.

package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

var apiAt = regexp.MustCompile(`the API answers at (http://127\.0\.0\.1:\d+/getdata/)`)

// postAddSMS posts one message to addsms as
// curl -d token=... -d sendto=%2B... -d body=... -d device_id=1 does, and
// returns the answer's body.
func postAddSMS(t *testing.T, api, token string) string {
	t.Helper()
	form := url.Values{"token": {token}, "sendto": {"+4915752982212"}, "body": {"Hello"}, "device_id": {"1"}}
	resp, err := http.Post(api+"addsms", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return string(body)
}

// statusLine matches a status that listen -json printed.
var statusLine = regexp.MustCompile(`\{"kind":"status","event":\{"sms_id":(\d+),"status_id":(\d+),`)

func statusesOf(out string) []string {
	var codes []string
	for _, m := range statusLine.FindAllStringSubmatch(out, -1) {
		codes = append(codes, m[2])
	}
	return codes
}

func TestGatewayBesideListen(t *testing.T) {
	for _, wire := range []string{"json", "json-legacy", "form", "form-plus-lost"} {
		t.Run(wire, func(t *testing.T) {
			hook, listenOut, _ := startListen(t, "-json", "-token", "hook-secret")

			ctx, cancel := context.WithCancel(context.Background())
			stdout, stderr := newSyncBuffer(), newSyncBuffer()
			done := make(chan int, 1)
			go func() {
				done <- run(ctx, []string{"gateway", "-addr", "127.0.0.1:0", "-token", "api-token", "-wire", wire,
					"-status-url", hook + "?token=hook-secret"}, stdout, stderr)
			}()
			defer func() {
				cancel()
				assert.Equal(t, exitOK, <-done)
				assert.Contains(t, stderr.String(), "smsgw24 gateway: stopped; webhooks posted: 4, answered 2xx: 4")
			}()
			api := apiAt.FindStringSubmatch(stderr.waitFor(t, "the API's address", apiAt.MatchString))[1]

			answer := postAddSMS(t, api, "api-token")
			assert.Regexp(t, `^\{"error":0,"message":"Sms has been saved successfully","sms_id":\d+\}\n$`, answer)
			out := listenOut.waitFor(t, "four statuses", func(s string) bool { return len(statusesOf(s)) == 4 })
			assert.Equal(t, []string{"3", "2", "6", "7"}, statusesOf(out))
			assert.Contains(t, out, `"sendto":"+4915752982212"`)
			printed := stdout.waitFor(t, "four deliveries", func(s string) bool { return strings.Count(s, "\n") == 4 })
			assert.Regexp(t, `status sms_id=\d+ status=7 delivered → POST http://127\.0\.0\.1:\d+/\?token=REDACTED \(application/(json|x-www-form-urlencoded)\) → 200\n$`, printed)
			assert.NotContains(t, printed+stderr.String(), "hook-secret")

			// Another token gets the API's error answer.
			assert.JSONEq(t, `{"error":1,"message":"Token not found"}`, postAddSMS(t, api, "wrong"))
		})
	}
}

func TestGatewayFinalStatusFlag(t *testing.T) {
	hook, listenOut, _ := startListen(t, "-json")
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := newSyncBuffer(), newSyncBuffer()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"gateway", "-addr", "127.0.0.1:0", "-final", "not_delivered", "-status-url", hook,
			"-incoming-url", hook, "-wire", "form-plus-lost"}, stdout, stderr)
	}()
	defer func() {
		cancel()
		assert.Equal(t, exitOK, <-done)
	}()
	api := apiAt.FindStringSubmatch(stderr.waitFor(t, "the API's address", apiAt.MatchString))[1]

	client := &smsgw24.Client{Token: smsgw24test.DefaultGatewayToken, BaseURL: api}
	_, err := client.SendSMS(context.Background(), smsgw24.SMS{To: "+1", Body: "b", DeviceID: smsgw24test.DefaultDeviceID})
	require.NoError(t, err)
	out := listenOut.waitFor(t, "four statuses", func(s string) bool { return len(statusesOf(s)) == 4 })
	assert.Equal(t, []string{"3", "2", "6", "8"}, statusesOf(out))

	// A text made to arrive by hand reaches the incoming URL.
	form := url.Values{"token": {smsgw24test.DefaultGatewayToken}, "address": {"+4915752982212"}, "body": {"Thanks"}}
	resp, err := http.Post(strings.TrimSuffix(api, "getdata/")+"simulate/text", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	resp.Body.Close()
	out = listenOut.waitFor(t, "the text", func(s string) bool { return strings.Contains(s, `"kind":"text"`) })
	assert.Regexp(t, `\{"kind":"text","event":\{"sms_id":\d+,"type":"text","address":"\+4915752982212","body":"Thanks",`, out)
}

// TestBinaryGatewayBesideListen is the check by hand, kept true: the built
// command's gateway beside its listen, a message posted with curl's form.
func TestBinaryGatewayBesideListen(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no way to send an interrupt to a process on Windows")
	}
	bin := buildBinary(t)
	start := func(args ...string) (lines <-chan string, stdout *syncBuffer, stop func()) {
		cmd := exec.Command(bin, args...)
		stderr, err := cmd.StderrPipe()
		require.NoError(t, err)
		stdout = newSyncBuffer()
		cmd.Stdout = stdout
		require.NoError(t, cmd.Start())
		ch := make(chan string, 16)
		go func() {
			defer close(ch)
			for s := bufio.NewScanner(stderr); s.Scan(); {
				ch <- s.Text()
			}
		}()
		stopped := false
		stop = func() {
			if stopped {
				return
			}
			stopped = true
			require.NoError(t, cmd.Process.Signal(os.Interrupt))
			for range ch {
			}
			if err := cmd.Wait(); err != nil {
				t.Errorf("%s exits 0 on Ctrl-C: %v", args[0], err)
			}
		}
		t.Cleanup(func() { _ = cmd.Process.Kill() })
		return ch, stdout, stop
	}
	waitLine := func(lines <-chan string, re *regexp.Regexp) string {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for {
			select {
			case line, ok := <-lines:
				require.True(t, ok, "stderr ended before %s", re)
				if m := re.FindStringSubmatch(line); m != nil {
					return m[1]
				}
			case <-deadline:
				t.Fatalf("waiting for %s", re)
			}
		}
	}

	listenLines, listenOut, stopListen := start("listen", "-addr", "127.0.0.1:0", "-json", "-token", "hook-secret")
	hook := waitLine(listenLines, listeningOn)
	gwLines, gwOut, stopGateway := start("gateway", "-addr", "127.0.0.1:0", "-token", "api-token", "-status-url", hook+"?token=hook-secret")
	api := waitLine(gwLines, apiAt)

	postAddSMS(t, api, "api-token")
	out := listenOut.waitFor(t, "four statuses", func(s string) bool { return len(statusesOf(s)) == 4 })
	assert.Equal(t, []string{"3", "2", "6", "7"}, statusesOf(out))
	gwOut.waitFor(t, "four deliveries", func(s string) bool { return strings.Count(s, " → 200\n") == 4 })
	stopGateway()
	stopListen()
}
