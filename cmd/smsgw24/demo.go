// demo.go holds the demo command: a receiver on a free loopback port, every
// fixture posted to it, what it received printed, and three requests it
// must reject.

package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"

	"golang.org/x/text/language"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

// demo runs the demo command (its help is in the table commands) and
// returns the exit code.
func demo(ctx context.Context, c *command, args []string, stdout, stderr io.Writer) int {
	if ok, code := c.parse(args, stdout, stderr); !ok {
		return code
	}
	if len(c.args) > 0 {
		return c.fail(stderr, fmt.Sprintf("unexpected argument %q", c.args[0]))
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintf(stderr, "smsgw24 demo: %v\n", err)
		return exitFailed
	}
	// What the receiver prints for one request is shown under that request.
	printed := &lockedBuffer{}
	lang := localeLanguage(os.Getenv)
	r := &receiver{out: printed, lang: lang}
	token := rand.Text()
	srv := newServer(r.handler(token))
	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- serve(serveCtx, srv, ln) }()
	defer func() {
		stop()
		<-done
	}()

	base := &url.URL{Scheme: "http", Host: ln.Addr().String(), Path: "/smsgw24"}
	withToken, _ := postURL(base.String(), token)
	wrongToken, _ := postURL(base.String(), "not-"+token)
	client := newClient()

	fmt.Fprintf(stdout, "A receiver listens on %s, token required.\n", base)
	fmt.Fprintf(stdout, "Every fixture of smsgw24test is posted to it as the gateway would post it,\n")
	fmt.Fprintf(stdout, "and under each is what the receiver printed. Statuses are described in the\n")
	if described := describedIn(lang); described == lang {
		fmt.Fprintf(stdout, "language of your locale (%s).\n\n", lang)
	} else {
		fmt.Fprintf(stdout, "language of your locale (%s) where there is one, here %s.\n\n", lang, described)
	}

	fixtures := smsgw24test.Fixtures()
	received := 0
	for _, f := range fixtures {
		shown := f.ContentType
		if shown == "" {
			shown = "no Content-Type"
		}
		a, err := post(ctx, client, withToken, f.ContentType, f.Body)
		if err != nil {
			fmt.Fprintf(stderr, "smsgw24 demo: %s: %v\n", f.Name, err)
			return exitFailed
		}
		fmt.Fprintf(stdout, "%s (%s) → %s\n", f.Name, shown, a.status)
		lines := printed.take()
		fmt.Fprint(stdout, indent(lines))
		if a.ok() && strings.Count(lines, "\n") == 1 && strings.HasPrefix(lines, string(kindOf(f))) {
			received++
		}
	}

	fmt.Fprintf(stdout, "\nRequests the receiver must reject:\n")
	first := fixtures[0]
	bad := []struct {
		what        string
		target      *url.URL
		contentType string
		body        []byte
		want        int
	}{
		{"a wrong token", wrongToken, first.ContentType, first.Body, 403},
		{"no token", base, first.ContentType, first.Body, 401},
		{"a body without sms_id", withToken, "application/json", []byte(`{"address":"+4915112345678","body":"hi"}`), 422},
	}
	rejected := 0
	for _, b := range bad {
		a, err := post(ctx, client, b.target, b.contentType, b.body)
		if err != nil {
			fmt.Fprintf(stderr, "smsgw24 demo: %s: %v\n", b.what, err)
			return exitFailed
		}
		fmt.Fprintf(stdout, "%s → %s\n", b.what, a.status)
		fmt.Fprint(stdout, indent(printed.take()))
		if a.code == b.want {
			rejected++
		}
	}

	fmt.Fprintf(stdout, "\nThe whole loop: a message sent with smsgw24.Client to a local gateway\n")
	fmt.Fprintf(stdout, "(smsgw24 gateway), which posts its statuses to the receiver:\n")
	looped, err := demoLoop(ctx, withToken, printed, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "smsgw24 demo: the whole loop: %v\n", err)
		return exitFailed
	}

	fmt.Fprintf(stdout, "\n%d of %d fixtures received and decoded, %d of %d bad requests rejected",
		received, len(fixtures), rejected, len(bad))
	if looped {
		fmt.Fprintf(stdout, ", a sent message delivered.\n")
	} else {
		fmt.Fprintf(stdout, ", a sent message NOT seen delivered.\n")
	}
	if received != len(fixtures) || rejected != len(bad) || !looped {
		return exitFailed
	}
	fmt.Fprintf(stdout, "Next: \"smsgw24 listen -h\" to watch a real device, \"smsgw24 send -h\" to post one fixture,\n")
	fmt.Fprintf(stdout, "\"smsgw24 gateway -h\" to send messages to a local gateway.\n")
	return exitOK
}

// demoLoop sends one message with smsgw24.Client to a local gateway whose
// status URL is the receiver's, shows what the receiver printed, and
// reports whether the message ended delivered there.
func demoLoop(ctx context.Context, receiverURL *url.URL, printed *lockedBuffer, stdout io.Writer) (bool, error) {
	gw := smsgw24test.NewGateway(smsgw24test.GatewayOptions{StatusURL: receiverURL.String()})
	defer gw.Close()
	client := &smsgw24.Client{Token: smsgw24test.DefaultGatewayToken, BaseURL: gw.URL}
	m := smsgw24.SMS{To: "+4915752982212", Body: "Hello from the demo", DeviceID: smsgw24test.DefaultDeviceID}
	id, err := client.SendSMS(ctx, m)
	if err != nil {
		return false, err
	}
	fmt.Fprintf(stdout, "Client.SendSMS to %s → sms_id %d\n", gw.URL+"addsms", id)
	if err := gw.Wait(ctx); err != nil {
		return false, err
	}
	for _, d := range gw.Deliveries() {
		fmt.Fprintf(stdout, "gateway: %s\n", deliveryLine(d))
	}
	fmt.Fprint(stdout, indent(printed.take()))
	status, err := client.SMSStatus(ctx, id)
	if err != nil {
		return false, err
	}
	fmt.Fprintf(stdout, "Client.SMSStatus(%d) → %d %s\n", id, int(status), status)
	delivered := false
	for _, d := range gw.Deliveries() {
		if su, ok := d.Event.(*smsgw24.StatusUpdate); ok && d.OK() && su.Status == smsgw24.StatusDelivered {
			delivered = true
		}
	}
	return delivered && status == smsgw24.StatusDelivered, nil
}

// kindOf is the kind of event a fixture holds; its name starts with it.
func kindOf(f smsgw24test.Fixture) smsgw24.Kind {
	ev, err := smsgw24.Parse(f.ContentType, f.Body)
	if err != nil {
		return ""
	}
	return ev.Kind()
}

func indent(lines string) string {
	if lines == "" {
		return "    (nothing)\n"
	}
	return "    " + strings.ReplaceAll(strings.TrimSuffix(lines, "\n"), "\n", "\n    ") + "\n"
}

// lockedBuffer is a buffer that the receiver writes to from the server's
// goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// take returns what was written since the last take.
func (b *lockedBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

// describedIn returns the language, of those Status.Message speaks, that a
// locale's tag gets: its own, or English.
func describedIn(tag language.Tag) language.Tag {
	base, _ := tag.Base()
	for _, l := range smsgw24.Languages() {
		if b, _ := l.Base(); b == base {
			return tag
		}
	}
	return language.English
}
