// listen.go holds the listen command: a local receiver that prints each
// webhook as it arrives, decoded, until Ctrl-C.

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"time"
)

const defaultAddr = "127.0.0.1:8080"

// listen runs the listen command (its help is in the table commands)
// until ctx ends, and returns the exit code.
func listen(ctx context.Context, c *command, args []string, stdout, stderr io.Writer) int {
	addr := c.fs.String("addr", defaultAddr, "listen on `host:port`; \":8080\" listens on every interface, port 0 on a free port")
	token := c.fs.String("token", "", "accept only requests that carry this `secret` in the token query parameter\n(or an Authorization: Bearer header); without it every request is accepted")
	insecure := c.fs.Bool("insecure", false, "without -token, listen on an address other than loopback all the same,\naccepting requests from anyone who reaches it")
	asJSON := c.fs.Bool("json", false, "print one JSON object per line instead of a readable line")
	if ok, code := c.parse(args, stdout, stderr); !ok {
		return code
	}
	if len(c.args) > 0 {
		return c.fail(stderr, fmt.Sprintf("unexpected argument %q", c.args[0]))
	}

	r := &receiver{out: stdout, json: *asJSON, lang: localeLanguage(os.Getenv), clock: time.Now}
	h := r.handler(*token)
	if err := h.Check(); err != nil {
		fmt.Fprintf(stderr, "smsgw24 listen: %v\n", err)
		return exitFailed
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "smsgw24 listen: %v\n", err)
		return exitFailed
	}
	if *token == "" && !*insecure && !isLoopback(ln.Addr()) {
		ln.Close()
		fmt.Fprintf(stderr, "smsgw24 listen: no -token, and %s is not a loopback address: anyone who reaches it could post.\n"+
			"Set -token (is the variable you passed set?), or pass -insecure to accept every request.\n", ln.Addr())
		return exitUsage
	}
	srv := newServer(h)

	fmt.Fprintf(stderr, "smsgw24 listen: listening on http://%s/ (any path)\n", ln.Addr())
	if *token == "" {
		fmt.Fprintln(stderr, "smsgw24 listen: no -token: every request is accepted")
	} else {
		fmt.Fprintln(stderr, "smsgw24 listen: requests must carry the token (?token=... in the webhook URL)")
	}
	fmt.Fprintln(stderr, "smsgw24 listen: Ctrl-C stops")

	if err := serve(ctx, srv, ln); err != nil {
		fmt.Fprintf(stderr, "smsgw24 listen: %v\n", err)
		return exitFailed
	}
	events, rejects := r.counts()
	fmt.Fprintf(stderr, "smsgw24 listen: stopped; events received: %d, requests rejected: %d\n", events, rejects)
	return exitOK
}

// isLoopback reports whether a listener's address is a loopback one, which
// only this machine reaches.
func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
