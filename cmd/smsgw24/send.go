// send.go holds the send command, which posts a fixture or a JSON file to a
// URL as the gateway would and prints the answer, and the HTTP client that
// send and demo post with.

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

const defaultURL = "http://" + defaultAddr + "/"

// send runs the send command (its help is in the table commands) and
// returns the exit code.
func send(ctx context.Context, c *command, args []string, stdout, stderr io.Writer) int {
	target := c.fs.String("url", defaultURL, "post to this `URL`")
	form := c.fs.Bool("form", false, "send the event that NAME or FILE holds as a form body (application/x-www-form-urlencoded),\nthe \"+\" of phone numbers unescaped as the gateway leaves it")
	token := c.fs.String("token", "", "put this `secret` in the URL's token query parameter")
	list := c.fs.Bool("list", false, "list the fixture names, one per line, and exit")
	if ok, code := c.parse(args, stdout, stderr); !ok {
		return code
	}
	if *list {
		if len(c.args) > 0 {
			return c.fail(stderr, "-list takes no NAME or FILE")
		}
		for _, f := range smsgw24test.Fixtures() {
			fmt.Fprintln(stdout, f.Name)
		}
		return exitOK
	}
	if len(c.args) != 1 {
		return c.fail(stderr, "name one fixture (see send -list) or one JSON file")
	}
	u, err := postURL(*target, *token)
	if err != nil {
		return c.fail(stderr, err.Error())
	}

	contentType, body, what, err := load(c.args[0], *form)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(stderr, "smsgw24 send: no fixture or file named %q (send -list lists the fixtures)\n", c.args[0])
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "smsgw24 send: %v\n", err)
		return exitFailed
	}
	shown := contentType
	if shown == "" {
		shown = "no Content-Type"
	}
	fmt.Fprintf(stdout, "POST %s (%s: %s, %d bytes)\n", redact(u), what, shown, len(body))
	a, err := post(ctx, newClient(), u, contentType, body)
	if err != nil {
		fmt.Fprintf(stderr, "smsgw24 send: %s\n", printable(err.Error()))
		return exitFailed
	}
	fmt.Fprintln(stdout, a)
	if !a.ok() {
		return exitFailed
	}
	return exitOK
}

// load reads the body to send: a fixture called name, or else a file: a
// JSON body, or a fixture file (.txt) in the fixtures' format, which
// smsgw24test.ParseFixture reads. With form, the event it holds is sent as
// a form instead. An error wrapping fs.ErrNotExist means there is neither.
func load(name string, form bool) (contentType string, body []byte, what string, err error) {
	if f, ok := smsgw24test.LookupFixture(name); ok {
		contentType, body, what = f.ContentType, f.Body, "fixture "+f.Name
	} else {
		data, err := os.ReadFile(name)
		if err != nil {
			return "", nil, "", err
		}
		contentType, body, what = "application/json", data, "file "+name
		if strings.HasSuffix(name, ".txt") {
			f, err := smsgw24test.ParseFixture(name, data)
			if err != nil {
				return "", nil, "", err
			}
			contentType, body = f.ContentType, f.Body
		}
	}
	if form {
		ev, err := smsgw24.Parse(contentType, body)
		if err != nil {
			return "", nil, "", fmt.Errorf("-form: %s holds no event to send as a form: %w", what, err)
		}
		contentType, body = smsgw24test.Encode(ev, smsgw24test.RequestOptions{Form: true})
		what += " as a form"
	}
	return contentType, body, what, nil
}

// postURL checks rawURL and puts token in its token query parameter.
func postURL(rawURL, token string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("-url %q is not an http or https URL", rawURL)
	}
	if token != "" {
		q := u.Query()
		q.Set("token", token)
		u.RawQuery = q.Encode()
	}
	return u, nil
}

// redact returns u for printing, with the value of its token parameter
// hidden.
func redact(u *url.URL) string {
	q := u.Query()
	if _, ok := q["token"]; !ok {
		return u.Redacted()
	}
	q.Set("token", "REDACTED")
	c := *u
	c.RawQuery = q.Encode()
	return c.Redacted()
}

// newClient returns the client that posts as the gateway: it follows no
// redirect, so that one shows as the answer it is.
func newClient() *http.Client {
	return &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// answer is what a server answered to a post.
type answer struct {
	code   int
	status string // such as "200 OK"
	body   string // trimmed, and cut to a few KiB
}

func (a answer) ok() bool { return a.code >= 200 && a.code < 300 }

// String returns the answer on one line, as printable text: what a server
// answers cannot move the cursor or recolour the terminal.
func (a answer) String() string {
	if a.body == "" {
		return printable(a.status)
	}
	return printable(a.status + " " + a.body)
}

// printable returns s with each character that does not print written as
// a Go escape, as listen writes values: control characters such as
// newlines and the ESC that starts a terminal's escape sequences ("\x1b"),
// format characters such as U+202E, which turns text around ("\u202e"),
// and bytes that are not UTF-8 ("\xff"). Spaces and printable text stay as
// they are.
func printable(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, notPrintable) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case notPrintable(c):
			q := strconv.QuoteRune(c)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func notPrintable(c rune) bool { return c != ' ' && !unicode.IsPrint(c) }

// post sends body to target with contentType (none if ""), and reads the
// answer. Its errors show the URL without the token.
func post(ctx context.Context, client *http.Client, target *url.URL, contentType string, body []byte) (answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), bytes.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			ue.URL = redact(target)
		}
		return answer{}, err
	}
	defer resp.Body.Close()
	const maxAnswer = 4 << 10
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return answer{}, fmt.Errorf("reading the answer: %w", err)
	}
	return answer{code: resp.StatusCode, status: resp.Status, body: strings.TrimSpace(string(data))}, nil
}
