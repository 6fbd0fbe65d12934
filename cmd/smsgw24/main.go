// main.go holds main, run, which picks the command, and what the commands
// share: their flags and help.

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
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

const usageText = `smsgw24 receives, sends and shows SMSGateway24 webhooks on this machine,
so that you can test your callbacks and your deployment without pointing
the gateway at a stranger's request bin; and runs a local gateway to send
messages to with smsgw24.Client.

Usage:
  smsgw24 demo                   show the library receiving every fixture, then exit
  smsgw24 listen [-addr host:port] [-token secret | -insecure] [-json]
                                 print each webhook that arrives, decoded
  smsgw24 send [-url URL] [-form] [-token secret] NAME|FILE
                                 post a fixture or a JSON file as the gateway would
  smsgw24 send -list             list the fixtures
  smsgw24 gateway [-addr host:port] [-token TOKEN] [-status-url URL] [-incoming-url URL]
                                 run a local SMSGateway24: its REST API, and the status
                                 webhooks of each message sent to it

Run "smsgw24 COMMAND -h" for what each command does, with an example.
Start with:
  go run ./cmd/smsgw24 demo
`

// run runs the command line args (without the program name) and returns
// the exit code. ctx ends listen, and cuts short demo and send.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "listen":
		return listen(ctx, rest, stdout, stderr)
	case "send":
		return send(ctx, rest, stdout, stderr)
	case "demo":
		return demo(ctx, rest, stdout, stderr)
	case "gateway":
		return gateway(ctx, rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usageText)
		return exitOK
	}
	fmt.Fprintf(stderr, "%s: unknown command %q\n\n%s", programName, cmd, usageText)
	return exitUsage
}

// command is one subcommand's flags and help.
type command struct {
	fs   *flag.FlagSet
	args []string // the arguments that are not flags
	// synopsis is the usage line(s); about says what it does; example
	// shows it in use.
	synopsis, about, example string
}

func newCommand(name, synopsis, about, example string) *command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and help are printed by parse
	return &command{fs: fs, synopsis: synopsis, about: about, example: example}
}

// usage writes the command's help to w.
func (c *command) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage:\n%s\n%s\n", c.synopsis, c.about)
	flags := 0
	c.fs.VisitAll(func(*flag.Flag) { flags++ })
	if flags > 0 {
		fmt.Fprintf(w, "Flags:\n")
		c.fs.SetOutput(w)
		c.fs.PrintDefaults()
		c.fs.SetOutput(io.Discard)
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Example:\n%s", c.example)
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
