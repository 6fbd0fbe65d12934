// listen_test.go starts listen in-process on a loopback port and fires
// send at it: every fixture with the right token arrives, decoded, as one
// JSON line; a wrong or missing token makes send fail and listen print the
// reject; Ctrl-C (the context ending) stops it cleanly.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

var listeningOn = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+/)`)

// startListen runs listen with args on a free loopback port until the test
// ends, and returns its URL and output.
func startListen(t *testing.T, args ...string) (url string, stdout, stderr *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = newSyncBuffer(), newSyncBuffer()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"listen", "-addr", "127.0.0.1:0"}, args...), stdout, stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			assert.Equal(t, exitOK, code, "listen stops cleanly: %s", stderr)
			assert.Contains(t, stderr.String(), "smsgw24 listen: stopped")
		case <-time.After(30 * time.Second):
			t.Error("listen did not stop after its context ended")
		}
	})
	banner := stderr.waitFor(t, "the listening address", listeningOn.MatchString)
	return listeningOn.FindStringSubmatch(banner)[1], stdout, stderr
}

type printedLine struct {
	Kind       string          `json:"kind"`
	Event      json.RawMessage `json:"event"`
	HTTPStatus int             `json:"http_status"`
	Error      string          `json:"error"`
	Method     string          `json:"method"`
	Path       string          `json:"path"`
}

func readLines(t *testing.T, out string) []printedLine {
	t.Helper()
	var lines []printedLine
	for _, text := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var l printedLine
		require.NoError(t, json.Unmarshal([]byte(text), &l), "each line is one JSON object: %s", text)
		lines = append(lines, l)
	}
	return lines
}

func TestListenJSONReceivesEverySend(t *testing.T) {
	url, stdout, _ := startListen(t, "-json", "-token", "s3cret")
	hook := url + "smsgw24"

	fixtures := smsgw24test.Fixtures()
	for _, f := range fixtures {
		code, out, errOut := runCmd(t, "send", "-url", hook, "-token", "s3cret", f.Name)
		require.Equal(t, exitOK, code, "%s: %s%s", f.Name, out, errOut)
		assert.Contains(t, out, "200 OK")
		assert.NotContains(t, out, "s3cret", "send does not print the token")
	}
	// Each event is printed before it is answered, so all are there now.
	lines := readLines(t, stdout.String())
	require.Len(t, lines, len(fixtures))
	for i, f := range fixtures {
		want, err := smsgw24.Parse(f.ContentType, f.Body)
		require.NoError(t, err)
		assert.Equal(t, string(want.Kind()), lines[i].Kind, f.Name)
		got, err := smsgw24.Parse("application/json", lines[i].Event)
		require.NoError(t, err, f.Name)
		assert.Equal(t, want, got, "%s arrives decoded as Parse decodes it", f.Name)
	}

	// A wrong token, or none: send fails, listen prints why.
	code, out, _ := runCmd(t, "send", "-url", hook, "-token", "guess", "status_v1_json")
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "403 Forbidden")
	code, out, _ = runCmd(t, "send", "-url", hook, "status_v1_json")
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "401 Unauthorized")

	lines = readLines(t, stdout.String())
	require.Len(t, lines, len(fixtures)+2)
	assert.Equal(t, printedLine{Kind: "rejected", HTTPStatus: 403, Error: "smsgw24: token rejected", Method: "POST", Path: "/smsgw24"}, lines[len(fixtures)])
	assert.Equal(t, printedLine{Kind: "rejected", HTTPStatus: 401, Error: "smsgw24: no token presented", Method: "POST", Path: "/smsgw24"}, lines[len(fixtures)+1])
	assert.NotContains(t, stdout.String(), "guess")
}

// TestSendFileAndForm: an event that listen -json printed can be posted
// again as a file, as JSON or as a form, and arrives equal.
func TestSendFileAndForm(t *testing.T) {
	url, stdout, _ := startListen(t, "-json")

	code, out, errOut := runCmd(t, "send", "-url", url, "text_v2_json_unicode_escapes")
	require.Equal(t, exitOK, code, out+errOut)
	first := readLines(t, stdout.String())[0]
	file := filepath.Join(t.TempDir(), "event.json")
	require.NoError(t, os.WriteFile(file, first.Event, 0o600))

	code, out, errOut = runCmd(t, "send", "-url", url, file)
	require.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "(file "+file+": application/json, ")
	code, out, errOut = runCmd(t, "send", "-form", "-url", url, file)
	require.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "as a form: application/x-www-form-urlencoded, ")
	code, out, errOut = runCmd(t, "send", "-url", url, "-form", "text_v2_json_plus_as_space")
	require.Equal(t, exitOK, code, out+errOut)

	lines := readLines(t, stdout.String())
	require.Len(t, lines, 4)
	for _, l := range lines[1:3] {
		assert.JSONEq(t, string(first.Event), string(l.Event))
	}
	assert.Contains(t, string(lines[3].Event), `"address":"+15555215554"`)

	// A file that holds no event goes as it is, and is rejected; -form
	// cannot make a form of it.
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"body":"no id"}`), 0o600))
	code, out, _ = runCmd(t, "send", "-url", url, bad)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "422 Unprocessable Entity")
	code, _, errOut = runCmd(t, "send", "-url", url, "-form", bad)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, errOut, "holds no event to send as a form")

	// A fixture file goes with its own Content-Type.
	xml := filepath.Join("..", "..", "testdata", "invalid", "xml_body.txt")
	code, out, _ = runCmd(t, "send", "-url", url, xml)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "(file "+xml+": text/xml, ")
	assert.Contains(t, out, "415 Unsupported Media Type")
	code, out, errOut = runCmd(t, "send", "-url", url, filepath.Join("..", "..", "internal", "fixture", "webhooks", "status_v2_form.txt"))
	assert.Equal(t, exitOK, code, out+errOut)
	assert.Contains(t, out, "application/x-www-form-urlencoded, ")
	lines = readLines(t, stdout.String())
	require.Len(t, lines, 7, "4 events, 2 rejects, 1 event")
	assert.Equal(t, 415, lines[5].HTTPStatus)
	assert.Equal(t, "status", lines[6].Kind)
}

// TestListenReadable: one readable line per event, with the time it
// arrived and the status described in the language of the locale.
func TestListenReadable(t *testing.T) {
	t.Setenv("LC_ALL", "de_DE.UTF-8")
	url, stdout, stderr := startListen(t)
	assert.Contains(t, stderr.String(), "no -token: every request is accepted")

	for _, name := range []string{"status_v1_json", "text_v2_form_plus_lost"} {
		code, out, errOut := runCmd(t, "send", "-url", url+"in", name)
		require.Equal(t, exitOK, code, out+errOut)
	}
	code, out, errOut := runCmd(t, "send", "-url", url+"in", "-form", "status_v2_form")
	require.Equal(t, exitOK, code, out+errOut)

	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	require.Len(t, lines, 3)
	clock := `^\d\d:\d\d:\d\d `
	assert.Regexp(t, clock+`status sms_id=3281467 device_id=12345 channel=sim2 status=7 delivered "Zugestellt" to=\+4915112345678 `, lines[0])
	assert.Regexp(t, clock+`text   sms_id=9911204 .* channel=sim2 from=\+79001234567 .* body="Привет"$`, lines[1])
	assert.Regexp(t, clock+`status sms_id=3281468 .* status=6 sent "Vom Telefon gesendet" to=\+5511987654321 `, lines[2])
}

func TestListenAddressInUse(t *testing.T) {
	url, _, _ := startListen(t)
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	code, _, stderr := runCmd(t, "listen", "-addr", addr)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, stderr, "smsgw24 listen: listen tcp "+addr)
}

// TestSendErrorHidesToken: when no answer comes, the error names the URL
// without the token.
func TestSendErrorHidesToken(t *testing.T) {
	url, _, _ := startListen(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the send is cut short before it is answered
	var out, errOut bytes.Buffer
	code := run(ctx, []string{"send", "-url", url, "-token", "s3cret", "status_v1_json"}, &out, &errOut)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, errOut.String(), "smsgw24 send: Post \""+url+"?token=REDACTED\": context canceled")
	assert.NotContains(t, out.String()+errOut.String(), "s3cret")
}

// TestListenWithoutTokenOnlyOnLoopback: without a token, or with an empty
// one (an unset variable), listen refuses an address other than loopback
// unless told -insecure; on loopback it starts.
func TestListenWithoutTokenOnlyOnLoopback(t *testing.T) {
	for _, args := range [][]string{
		{"listen", "-addr", "0.0.0.0:0"},
		{"listen", "-addr", ":0", "-token", ""},
		{"listen", "-addr", "[::]:0", "-json"},
	} {
		code, stdout, stderr := runCmd(t, args...)
		assert.Equal(t, exitUsage, code, "%q", args)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "-insecure", "%q", args)
		assert.NotContains(t, stderr, "listening on", "%q", args)
	}

	for _, args := range [][]string{
		{"listen", "-addr", "0.0.0.0:0", "-insecure"},
		{"listen", "-addr", "0.0.0.0:0", "-token", "s3cret"},
		{"listen", "-addr", "localhost:0"},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		stdout, stderr := newSyncBuffer(), newSyncBuffer()
		done := make(chan int, 1)
		go func() { done <- run(ctx, args, stdout, stderr) }()
		stderr.waitFor(t, "the listening address", func(s string) bool { return strings.Contains(s, "listening on") })
		cancel()
		assert.Equal(t, exitOK, <-done, "%q: %s", args, stderr)
	}
}

// TestSendEscapesTheAnswer: whatever a server answers, send prints it on
// one line of printable text, control characters escaped as listen
// escapes them.
func TestSendEscapesTheAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("\x1b[2J\x1b]0;owned\x07 line1\r\nline2\ttab \u202eevil\xff ünïcødé {\"ok\":false}\n"))
	}))
	defer srv.Close()
	code, stdout, stderr := runCmd(t, "send", "-url", srv.URL, "status_v1_json")
	assert.Equal(t, exitFailed, code, stderr)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	require.Len(t, lines, 2, stdout)
	assert.Equal(t, `418 I'm a teapot \x1b[2J\x1b]0;owned\a line1\r\nline2\ttab \u202eevil\xff ünïcødé {"ok":false}`, lines[1])
	for _, c := range lines[1] {
		assert.True(t, c >= ' ' && c != 0x7f, "printed %q", c)
	}
}

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "",
		`200 OK {"ok":true}`:        `200 OK {"ok":true}`,
		"Привет, 世界 \\n":            "Привет, 世界 \\n",
		"a\x00b\x7fc":               `a\x00b\x7fc`,
		"\u200b\u2066\ufeff":        `\u200b\u2066\ufeff`,
		"\xc3\x28 \xed\xa0\x80 end": `\xc3( \xed\xa0\x80 end`,
	} {
		assert.Equal(t, want, printable(in), "%q", in)
	}
}
