// Command smsgw24-inbox lists the dead letters of a durable inbox (the
// events whose deliveries all failed) and replays them. "smsgw24 inbox"
// runs it.
//
//	smsgw24-inbox list -dsn sqlite:/var/lib/receiver/inbox.db
//	smsgw24-inbox replay -dsn postgres://... 17 18
//	smsgw24-inbox replay -dsn postgres://... -all
//
// The dsn may also come from the environment variable SMSGW24_INBOX_DSN.
// Install it with
//
//	go install github.com/go-smsgw24/smsgw24/inbox/cmd/smsgw24-inbox@latest
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/inbox"
)

const programName = "smsgw24-inbox"

// dsnEnv names the environment variable that gives the dsn when -dsn is
// not set.
const dsnEnv = "SMSGW24_INBOX_DSN"

const usageText = `smsgw24-inbox lists and replays the dead letters of a durable inbox.

Usage:
  smsgw24-inbox list -dsn DSN                 the dead letters: id, attempts, event, last error
  smsgw24-inbox replay -dsn DSN ID [ID...]    deliver these dead letters again
  smsgw24-inbox replay -dsn DSN -all          deliver every dead letter again

DSN is sqlite:PATH or a postgres:// URL; without -dsn, $SMSGW24_INBOX_DSN.
A replayed event is delivered by the receiver that runs the inbox, once
more; when that fails too, it is a dead letter again.
`

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return exitUsage
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usageText)
		return exitOK
	case "list", "replay":
	default:
		fmt.Fprintf(stderr, "%s: unknown command %q\n\n%s", programName, cmd, usageText)
		return exitUsage
	}
	fs := flag.NewFlagSet(programName+" "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dsn := fs.String("dsn", os.Getenv(dsnEnv), "")
	all := fs.Bool("all", false, "")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "%s %s: %v\n\n%s", programName, cmd, err, usageText)
		return exitUsage
	}
	if *dsn == "" {
		fmt.Fprintf(stderr, "%s %s: no -dsn and no $%s\n\n%s", programName, cmd, dsnEnv, usageText)
		return exitUsage
	}
	var ids []int64
	for _, a := range fs.Args() {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			fmt.Fprintf(stderr, "%s %s: %q is not the id of a dead letter\n", programName, cmd, a)
			return exitUsage
		}
		ids = append(ids, id)
	}
	if cmd == "replay" && (len(ids) == 0) == !*all {
		fmt.Fprintf(stderr, "%s replay: give the ids to replay, or -all\n", programName)
		return exitUsage
	}
	if cmd == "list" && (len(ids) > 0 || *all) {
		fmt.Fprintf(stderr, "%s list: takes no ids and no -all\n", programName)
		return exitUsage
	}
	if path, ok := strings.CutPrefix(*dsn, "sqlite:"); ok {
		// Opening creates a missing file: a mistyped path would show an
		// empty inbox.
		if _, err := os.Stat(path); err != nil {
			fmt.Fprintf(stderr, "%s: no inbox at %s: %v\n", programName, path, errors.Unwrap(err))
			return exitError
		}
	}
	ib, err := inbox.Open(ctx, *dsn, inbox.Handlers{
		Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", programName, err)
		return exitError
	}
	defer ib.Close()
	if cmd == "list" {
		return list(ctx, ib, stdout, stderr)
	}
	return replay(ctx, ib, ids, *all, stdout, stderr)
}

func list(ctx context.Context, ib *inbox.Inbox, stdout, stderr io.Writer) int {
	dead, err := ib.DeadLetters(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "%s list: %v\n", programName, err)
		return exitError
	}
	tw := tabwriter.NewWriter(stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tATTEMPTS\tEVENT\tLAST ERROR")
	for _, dl := range dead {
		event := "?"
		if dl.Event != nil {
			event = smsgw24.EventKey(dl.Event)
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\n", dl.ID, dl.Attempts, event, oneLine(dl.LastError))
	}
	_ = tw.Flush()
	fmt.Fprintf(stderr, "%d dead letters\n", len(dead))
	return exitOK
}

func replay(ctx context.Context, ib *inbox.Inbox, ids []int64, all bool, stdout, stderr io.Writer) int {
	if all {
		dead, err := ib.DeadLetters(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "%s replay: %v\n", programName, err)
			return exitError
		}
		for _, dl := range dead {
			ids = append(ids, dl.ID)
		}
	}
	code := exitOK
	for _, id := range ids {
		if err := ib.Replay(ctx, id); err != nil {
			fmt.Fprintf(stderr, "%s replay: %v\n", programName, err)
			code = exitError
			continue
		}
		fmt.Fprintf(stdout, "replayed %d\n", id)
	}
	return code
}

// oneLine keeps a table row on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
