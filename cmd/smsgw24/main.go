// main.go holds main, run, which picks the command, and what the commands
// share: the table of commands with their help texts, and their flags.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first Ctrl-C, a second one ends the process at once.
		<-ctx.Done()
		stop()
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1 // a request failed or was answered other than 2xx
	exitUsage   = 2 // the command line is wrong
	programName = "smsgw24"
)

// usageIntro and usageEnd frame the list of commands in the help of
// smsgw24 itself.
const (
	usageIntro = `smsgw24 receives, sends and shows SMSGateway24 webhooks on this machine,
so that you can test your callbacks and your deployment without pointing
the gateway at a stranger's request bin; and runs a local gateway to send
messages to with smsgw24.Client.
`
	usageEnd = `Run "smsgw24 COMMAND -h" (or "smsgw24 help COMMAND") for what each command
does, with an example. Start with:
  go run ./cmd/smsgw24 demo
`
)

// commandSpec is one subcommand: its name, its help and the function that
// runs it. The table commands holds them all; both the help of smsgw24
// and each command's -h are written from it.
type commandSpec struct {
	name string
	// summary says in one line what the command does, for the help of
	// smsgw24.
	summary string
	// usage holds the command's synopsis, one line per form, each starting
	// "smsgw24 NAME".
	usage string
	// about says what the command does and example shows it in use, for
	// NAME -h. A command without about has no -h of its own: its
	// arguments go elsewhere as they are.
	about, example string
	// run runs the command line args that follow NAME; c holds its flag
	// set (still empty) and its help.
	run func(ctx context.Context, c *command, args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands in the order the help shows them.
var commands = []commandSpec{
	{
		name:    "demo",
		summary: "show the library receiving every fixture, then exit",
		usage:   "smsgw24 demo",
		about: `Demo shows the library at work, on this machine only: it starts a
receiver (listen) on a free loopback port, posts it every fixture of
package smsgw24test as the gateway would, with the receiver's token,
prints under each what the receiver decoded, then sends three requests the
receiver must reject. Last it shows the whole loop: a message sent with
smsgw24.Client to a local gateway (see gateway -h), whose statuses the
gateway posts to the receiver. It exits 0 when every fixture was received,
every bad request rejected and the message delivered.
`,
		example: `  smsgw24 demo
  go run ./cmd/smsgw24 demo       # from a clone of the repository
`,
		run: demo,
	},
	{
		name:    "listen",
		summary: "print each webhook that arrives, decoded",
		usage:   "smsgw24 listen [-addr host:port] [-token secret | -insecure] [-json]",
		about: `Listen receives webhooks as your server would, and prints each one as it
arrives, decoded: one line per event with its kind, ids, channel, status
(described in the language of your locale: LC_ALL, LC_MESSAGES or LANG),
sender and text. A request it rejects is printed with the reason. It
answers as smsgw24.Handler does: 200 for an event, 401 without the token,
403 with a wrong one, 4xx for a body it cannot use. Any path is accepted.
Ctrl-C stops it.

Without -token (or with an empty one, such as an unset variable) it
accepts every request, and so it refuses to start on an address other
than loopback unless told -insecure.

The events go to stdout, everything else to stderr. With -json, each line
of stdout is one JSON object, an event as the library marshals it (the
gateway's field names) under "event":
  {"kind":"text","event":{"sms_id":9911203,"type":"text","address":"+55...",...}}
  {"kind":"rejected","http_status":403,"error":"smsgw24: token rejected","method":"POST","path":"/"}
"kind" is status, text, image or rejected; jq -c .event gives back a body
that send can post again.
`,
		example: `  smsgw24 listen -token s3cret
  smsgw24 send -token s3cret status_v1_json     # in another terminal

  To watch a real device: run listen where the gateway can reach it, e.g.
  smsgw24 listen -addr :8080 -token "$SMSGW24_TOKEN", and set the device's
  webhook URLs to http://YOUR-HOST:8080/?token=YOUR-TOKEN.
`,
		run: listen,
	},
	{
		name:    "send",
		summary: "post a fixture or a JSON file as the gateway would, or list the fixtures",
		usage: `smsgw24 send [-url URL] [-form] [-token secret] NAME|FILE
smsgw24 send -list`,
		about: `Send posts one webhook as the gateway would, and prints the answer. NAME is
one of the fixtures of package smsgw24test (send -list lists them), sent
with its own Content-Type. FILE is a file holding one JSON body, such as
an event that listen -json printed (jq -c .event), sent as
application/json; or a fixture file (.txt) in the fixtures' format
(headers, a blank line, the body), such as testdata/invalid/xml_body.txt.
Send exits 1 when the answer is not 2xx, or no answer came; 2 when the
command line is wrong.
`,
		example: `  smsgw24 send -token s3cret text_v2_form_plus_lost
  smsgw24 send -url https://staging.example.com/smsgw24 -token "$SMSGW24_TOKEN" -form my-status.json
`,
		run: send,
	},
	{
		name:    "gateway",
		summary: "run a local SMSGateway24: its REST API and each message's status webhooks",
		usage: `smsgw24 gateway [-addr host:port] [-token TOKEN] [-status-url URL] [-incoming-url URL]
                [-wire json|json-legacy|form|form-plus-lost] [-final STATUS] [-out-of-order] [-duplicates]`,
		about: `Gateway runs a local SMSGateway24, so that code that sends with
smsgw24.Client can be tried without a phone. It serves the REST API at
http://ADDR/getdata/ for the token given (any other token gets the API's
error answer), and for every message accepted by addsms or addalotofsms it
posts the message's status updates to the status URL as the gateway does:
3 (queued), 2 (taken by the phone), 6 (sent), then 7 (delivered) or the
status of -final. To make a message arrive at the phone, post it to
/simulate/text (token, address, body) or /simulate/image (token, address,
img_url): it goes to the incoming URL. Each post and the answer it got are
printed on stdout. It runs until Ctrl-C.
`,
		example: `  smsgw24 listen -token hook-secret                     # in one terminal
  smsgw24 gateway -token api-token -status-url 'http://127.0.0.1:8080/?token=hook-secret'
  curl -d token=api-token -d sendto=%2B4915752982212 -d body=Hello -d device_id=1 \
       http://127.0.0.1:8024/getdata/addsms               # in a third
  curl -d token=api-token -d address=%2B4915752982212 -d body=Thanks \
       http://127.0.0.1:8024/simulate/text                # with -incoming-url set
`,
		run: gateway,
	},
	{
		name:    "inbox",
		summary: "list and replay the dead letters of a durable inbox (runs smsgw24-inbox)",
		usage:   "smsgw24 inbox list|replay ...",
		run:     inbox,
	},
}

// writeUsage writes the help of smsgw24 itself: each command's synopsis
// with its summary under it.
func writeUsage(w io.Writer) {
	fmt.Fprintf(w, "%s\nUsage:\n", usageIntro)
	for _, spec := range commands {
		fmt.Fprintf(w, "%s      %s\n", synopsis(spec.usage), spec.summary)
	}
	fmt.Fprintf(w, "\n%s", usageEnd)
}

// synopsis puts two spaces before each line of a command's usage and ends
// it with a newline.
func synopsis(text string) string {
	return "  " + strings.ReplaceAll(text, "\n", "\n  ") + "\n"
}

// run runs the command line args (without the program name) and returns
// the exit code. ctx ends listen, and cuts short demo and send.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		writeUsage(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if name == "help" && len(rest) == 1 {
			return run(ctx, []string{rest[0], "-h"}, stdout, stderr)
		}
		writeUsage(stdout)
		return exitOK
	}
	spec, ok := lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "%s: unknown command %q\n\n", programName, name)
		writeUsage(stderr)
		return exitUsage
	}
	return spec.run(ctx, newCommand(spec), rest, stdout, stderr)
}

// lookup finds the command called name.
func lookup(name string) (*commandSpec, bool) {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i], true
		}
	}
	return nil, false
}

// command is one run of a subcommand: its flags, the arguments that are
// not flags, and its help.
type command struct {
	spec *commandSpec
	fs   *flag.FlagSet
	args []string // the arguments that are not flags
}

func newCommand(spec *commandSpec) *command {
	fs := flag.NewFlagSet(spec.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and help are printed by parse
	return &command{spec: spec, fs: fs}
}

// usage writes the command's help to w.
func (c *command) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage:\n%s\n%s\n", synopsis(c.spec.usage), c.spec.about)
	flags := 0
	c.fs.VisitAll(func(*flag.Flag) { flags++ })
	if flags > 0 {
		fmt.Fprintf(w, "Flags:\n")
		c.fs.SetOutput(w)
		c.fs.PrintDefaults()
		c.fs.SetOutput(io.Discard)
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Example:\n%s", c.spec.example)
}

// parse reads args, flags and other arguments in any order, keeping the
// others in c.args. When it returns false, the command ends with code: help
// was asked for (0, help on stdout) or the command line is wrong (2, the
// error and the help on stderr).
func (c *command) parse(args []string, stdout, stderr io.Writer) (ok bool, code int) {
	for {
		err := c.fs.Parse(args)
		switch {
		case errors.Is(err, flag.ErrHelp):
			c.usage(stdout)
			return false, exitOK
		case err != nil:
			return false, c.fail(stderr, err.Error())
		}
		args = c.fs.Args()
		if len(args) == 0 {
			return true, exitOK
		}
		c.args = append(c.args, args[0])
		args = args[1:]
	}
}

// fail reports a wrong command line.
func (c *command) fail(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "%s %s: %s\n\n", programName, c.fs.Name(), msg)
	c.usage(stderr)
	return exitUsage
}
