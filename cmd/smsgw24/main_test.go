// main_test.go runs the commands in-process: the help of each, the command
// line errors, send -list, and the pieces the receiver prints with (event
// lines and the user's language).

package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

// runCmd runs one command line in-process and returns its exit code and
// output.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelp(t *testing.T) {
	for _, cmd := range []string{"listen", "send", "demo", "gateway"} {
		for _, flag := range []string{"-h", "-help", "--help"} {
			code, stdout, stderr := runCmd(t, cmd, flag)
			assert.Equal(t, exitOK, code, cmd)
			assert.Empty(t, stderr)
			assert.Contains(t, stdout, "Usage:\n  smsgw24 "+cmd)
			assert.Contains(t, stdout, "\nExample:\n  ")
		}
	}
	code, stdout, _ := runCmd(t, "help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "go run ./cmd/smsgw24 demo")

	code, _, stderr := runCmd(t)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "Usage:")
}

// TestHelpFromTheCommandTable: the help of smsgw24 and each command's -h
// are both written from the table commands.
func TestHelpFromTheCommandTable(t *testing.T) {
	code, top, _ := runCmd(t, "-h")
	require.Equal(t, exitOK, code)
	var names []string
	for _, spec := range commands {
		names = append(names, spec.name)
		// Each synopsis in the top-level help, its summary on the next line.
		assert.Contains(t, top, synopsis(spec.usage)+"      "+spec.summary+"\n", spec.name)
		assert.NotContains(t, spec.summary, "\n", spec.name)
		for _, line := range strings.Split(spec.usage, "\n") {
			if !strings.HasPrefix(line, " ") {
				assert.True(t, strings.HasPrefix(line, "smsgw24 "+spec.name), "%s: %q", spec.name, line)
			}
		}
		if spec.about == "" {
			continue // inbox: -h goes to smsgw24-inbox
		}
		code, help, stderr := runCmd(t, spec.name, "-h")
		require.Equal(t, exitOK, code, spec.name)
		assert.Empty(t, stderr, spec.name)
		assert.True(t, strings.HasPrefix(help, "Usage:\n"+synopsis(spec.usage)+"\n"+spec.about+"\n"), spec.name)
		assert.True(t, strings.HasSuffix(help, "\nExample:\n"+spec.example), spec.name)

		code, viaHelp, _ := runCmd(t, "help", spec.name)
		assert.Equal(t, exitOK, code, spec.name)
		assert.Equal(t, help, viaHelp, "help %s is %s -h", spec.name, spec.name)
	}
	assert.Equal(t, []string{"demo", "listen", "send", "gateway", "inbox"}, names)

	code, stdout, stderr := runCmd(t, "help", "serve")
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, `unknown command "serve"`)
}

func TestCommandLineErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"serve"}, `unknown command "serve"`},
		{[]string{"listen", "-port", "8080"}, "flag provided but not defined: -port"},
		{[]string{"listen", "extra"}, `unexpected argument "extra"`},
		{[]string{"demo", "now"}, `unexpected argument "now"`},
		{[]string{"send"}, "name one fixture"},
		{[]string{"send", "a", "b"}, "name one fixture"},
		{[]string{"send", "-list", "status_v1_json"}, "-list takes no NAME"},
		{[]string{"send", "-url", "ftp://example.com/", "status_v1_json"}, "not an http or https URL"},
		{[]string{"send", "-url", "/relative", "status_v1_json"}, "not an http or https URL"},
		{[]string{"send", "no_such_fixture"}, `no fixture or file named "no_such_fixture"`},
		{[]string{"gateway", "extra"}, `unexpected argument "extra"`},
		{[]string{"gateway", "-wire", "xml"}, `no wire style "xml"`},
		{[]string{"gateway", "-final", "pending"}, `-final "pending" is not a status`},
		{[]string{"gateway", "-final", "4"}, `-final "4" is not a status`},
		{[]string{"gateway", "-status-url", "ftp://example.com/"}, `-status-url: "ftp://example.com/" is not an http or https URL`},
		{[]string{"gateway", "-incoming-url", "/relative"}, `-incoming-url: "/relative" is not an http or https URL`},
		{[]string{"gateway", "-token", ""}, `-token must not be empty`},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCmd(t, tt.args...)
		assert.Equal(t, exitUsage, code, "%v", tt.args)
		assert.Empty(t, stdout, "%v", tt.args)
		assert.Contains(t, stderr, tt.want, "%v", tt.args)
	}
}

func TestSendList(t *testing.T) {
	code, stdout, _ := runCmd(t, "send", "-list")
	require.Equal(t, exitOK, code)
	var names []string
	for _, f := range smsgw24test.Fixtures() {
		names = append(names, f.Name)
	}
	assert.Equal(t, strings.Join(names, "\n")+"\n", stdout)
}

func TestEventLine(t *testing.T) {
	de := language.MustParse("de-DE")
	sent := time.Date(2024, 3, 18, 9, 41, 27, 0, time.UTC)
	tests := []struct {
		ev   smsgw24.Event
		lang language.Tag
		want string
	}{
		{&smsgw24.StatusUpdate{SMSID: 3281467, Status: smsgw24.StatusDelivered, SendTo: "+4915112345678", SentTime: sent,
			Channel: smsgw24.ChannelSIM2, DeviceID: 12345, StatusMessage: "SMS has been Delivered"}, de,
			`status sms_id=3281467 device_id=12345 channel=sim2 status=7 delivered "Zugestellt" to=+4915112345678 sent=2024-03-18T09:41:27Z message="SMS has been Delivered"`},
		{&smsgw24.StatusUpdate{SMSID: 1, Status: 4}, language.English,
			`status sms_id=1 channel=sim1 status=4 status(4) "Unknown status (code 4)"`},
		{&smsgw24.TextMessage{SMSID: 2, Address: "MTN", Body: "line 1\nline 2 \"quoted\"", DeviceName: "Pixel 6a",
			Channel: smsgw24.ChannelWhatsApp, Extra: smsgw24.Extra{"thread": []byte(`1`), "a b": []byte(`2`)}}, de,
			`text   sms_id=2 device_name="Pixel 6a" channel=whatsapp from=MTN body="line 1\nline 2 \"quoted\"" extra="a b,thread"`},
		{&smsgw24.ImageMessage{SMSID: 3, Address: "+5511987654321", ImageURL: "https://x.example/i.jpg", Date: sent}, de,
			`image  sms_id=3 channel=sim1 from=+5511987654321 date=2024-03-18T09:41:27Z img_url=https://x.example/i.jpg body=""`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, eventLine(tt.ev, tt.lang))
	}
}

func TestLocaleLanguage(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{nil, "en"},
		{map[string]string{"LANG": "de_DE.UTF-8"}, "de-DE"},
		{map[string]string{"LANG": "pt_BR"}, "pt-BR"},
		{map[string]string{"LANG": "ru_RU.KOI8-R@cyrillic"}, "ru-RU"},
		{map[string]string{"LANG": "C"}, "en"},
		{map[string]string{"LANG": "C.UTF-8"}, "en"},
		{map[string]string{"LANG": "POSIX"}, "en"},
		{map[string]string{"LANG": "!!"}, "en"},
		{map[string]string{"LANG": "de_DE.UTF-8", "LC_MESSAGES": "es_ES.UTF-8"}, "es-ES"},
		{map[string]string{"LANG": "de_DE.UTF-8", "LC_MESSAGES": "es_ES.UTF-8", "LC_ALL": "C"}, "en"},
		{map[string]string{"LANG": "de_DE.UTF-8", "LC_ALL": ""}, "de-DE"},
	}
	for _, tt := range tests {
		got := localeLanguage(func(name string) string { return tt.env[name] })
		assert.Equal(t, tt.want, got.String(), "%v", tt.env)
	}
	assert.Equal(t, "Zugestellt", smsgw24.StatusDelivered.Message(parseLocale("de_AT.UTF-8")))
}

// syncBuffer collects what a command writes from several goroutines, and
// lets a test wait, for a bounded time, until it holds what it expects.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{} // closed at the next write
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{written: make(chan struct{})} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.written)
	b.written = make(chan struct{})
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until ok holds for what was written, and returns it; it
// fails the test after a generous time.
func (b *syncBuffer) waitFor(t *testing.T, what string, ok func(string) bool) string {
	t.Helper()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for {
		b.mu.Lock()
		s, written := b.buf.String(), b.written
		b.mu.Unlock()
		if ok(s) {
			return s
		}
		select {
		case <-written:
		case <-deadline.C:
			t.Fatalf("waiting for %s; got:\n%s", what, s)
		}
	}
}
