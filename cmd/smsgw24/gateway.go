// gateway.go holds the gateway command: the local SMSGateway24 of package
// smsgw24test on an address of your choice, printing each webhook it posts
// and the answer it got, until Ctrl-C.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

const defaultGatewayAddr = "127.0.0.1:8024"

// gateway runs the gateway command (its help is in the table commands)
// until ctx ends, and returns the exit code.
func gateway(ctx context.Context, c *command, args []string, stdout, stderr io.Writer) int {
	addr := c.fs.String("addr", defaultGatewayAddr, "serve the API on `host:port`; port 0 picks a free one")
	token := c.fs.String("token", smsgw24test.DefaultGatewayToken, "the account's API `token`")
	statusURL := c.fs.String("status-url", "", "post status updates to this `URL` (with ?token=... if the receiver wants one); none when empty")
	incomingURL := c.fs.String("incoming-url", "", "the `URL` for incoming messages; none when empty")
	wire := c.fs.String("wire", "json", "how webhooks are written: `style` json, json-legacy, form or form-plus-lost")
	final := c.fs.String("final", "delivered", "the last `status` of every message: a code or a name such as 8 or not_delivered")
	outOfOrder := c.fs.Bool("out-of-order", false, "post each message's statuses last first")
	duplicates := c.fs.Bool("duplicates", false, "post each webhook twice")
	if ok, code := c.parse(args, stdout, stderr); !ok {
		return code
	}
	if len(c.args) > 0 {
		return c.fail(stderr, fmt.Sprintf("unexpected argument %q", c.args[0]))
	}
	opts := smsgw24test.GatewayOptions{Token: *token, OutOfOrder: *outOfOrder, Duplicates: *duplicates}
	var err error
	if opts.Wire, err = smsgw24test.ParseWireStyle(*wire); err != nil {
		return c.fail(stderr, "-wire: "+err.Error())
	}
	if opts.Final, err = parseFinal(*final); err != nil {
		return c.fail(stderr, err.Error())
	}
	for _, u := range []struct {
		flag string
		raw  string
		dst  *string
	}{{"-status-url", *statusURL, &opts.StatusURL}, {"-incoming-url", *incomingURL, &opts.IncomingURL}} {
		if u.raw == "" {
			continue
		}
		if _, err := postURL(u.raw, ""); err != nil {
			return c.fail(stderr, u.flag+": "+strings.TrimPrefix(err.Error(), "-url "))
		}
		*u.dst = u.raw
	}
	if opts.Token == "" {
		return c.fail(stderr, "-token must not be empty")
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "smsgw24 gateway: %v\n", err)
		return exitFailed
	}
	p := &deliveryPrinter{out: stdout}
	opts.Listener = ln
	opts.OnDelivery = p.print
	gw := smsgw24test.NewGateway(opts)
	fmt.Fprintf(stderr, "smsgw24 gateway: the API answers at %s for the token given\n", gw.URL)
	fmt.Fprintf(stderr, "smsgw24 gateway: device_id %d; statuses to %s; incoming to %s; wire %s; final status %d %s\n",
		smsgw24test.DefaultDeviceID, shownURL(opts.StatusURL), shownURL(opts.IncomingURL), opts.Wire, int(opts.Final), opts.Final)
	fmt.Fprintln(stderr, "smsgw24 gateway: Ctrl-C stops")
	<-ctx.Done()
	gw.Close()
	fmt.Fprintf(stderr, "smsgw24 gateway: stopped; webhooks posted: %d, answered 2xx: %d\n", p.posts, p.ok)
	return exitOK
}

// parseFinal reads -final: a status that ends a message's lifecycle, or
// one before the end where it should stop.
func parseFinal(s string) (smsgw24.Status, error) {
	st, err := smsgw24.ParseStatus(s)
	if err != nil || !st.Known() || st == smsgw24.StatusPending || st == smsgw24.StatusIncoming {
		return 0, fmt.Errorf("-final %q is not a status a sent message can end at (such as 7, delivered, 8 or not_delivered)", s)
	}
	return st, nil
}

// shownURL is a URL for printing, its token hidden.
func shownURL(raw string) string {
	if raw == "" {
		return "(none)"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(an unreadable URL)"
	}
	return redact(u)
}

// deliveryPrinter prints each post of the gateway on a line.
type deliveryPrinter struct {
	out       io.Writer
	mu        sync.Mutex
	posts, ok int
}

func (p *deliveryPrinter) print(d smsgw24test.Delivery) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.posts++
	if d.OK() {
		p.ok++
	}
	fmt.Fprintln(p.out, deliveryLine(d))
}

// deliveryLine says what was posted where, and what came back:
//
//	status sms_id=22074001 status=7 delivered → POST http://127.0.0.1:8080/?token=REDACTED (application/json) → 200 OK
func deliveryLine(d smsgw24test.Delivery) string {
	var what string
	switch e := d.Event.(type) {
	case *smsgw24.StatusUpdate:
		what = fmt.Sprintf("status sms_id=%d status=%d %s", e.SMSID, int(e.Status), e.Status)
	case *smsgw24.TextMessage:
		what = fmt.Sprintf("text   sms_id=%d from=%s", e.SMSID, e.Address)
	case *smsgw24.ImageMessage:
		what = fmt.Sprintf("image  sms_id=%d from=%s", e.SMSID, e.Address)
	}
	if d.Attempt > 1 {
		what += " try=" + strconv.Itoa(d.Attempt)
	}
	err := d.Err
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err // its URL would show the token
	}
	answer := "no answer: " + fmt.Sprint(err)
	if d.StatusCode != 0 {
		answer = strconv.Itoa(d.StatusCode)
		if d.Answer != "" {
			answer += " " + strings.Join(strings.Fields(cut(d.Answer, 200)), " ")
		}
	}
	return fmt.Sprintf("%s → POST %s (%s) → %s", what, shownURL(d.URL), d.ContentType, answer)
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
