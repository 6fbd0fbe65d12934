// inbox.go holds the inbox command: it runs smsgw24-inbox, the command of
// the durable inbox's own module, from PATH with the same arguments, so
// that this module needs no dependency of the inbox's.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
)

const (
	inboxProgram = "smsgw24-inbox"
	inboxInstall = "go install github.com/go-smsgw24/smsgw24/inbox/cmd/smsgw24-inbox@latest"
)

// inbox runs smsgw24-inbox with args and returns its exit code. It has no
// flags of its own: -h too goes to smsgw24-inbox.
func inbox(ctx context.Context, _ *command, args []string, stdout, stderr io.Writer) int {
	path, err := exec.LookPath(inboxProgram)
	if err != nil {
		fmt.Fprintf(stderr, "%s inbox: %s is not installed (in PATH); it comes with the inbox module:\n  %s\n", programName, inboxProgram, inboxInstall)
		return exitFailed
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	err = cmd.Run()
	if exit, ok := errors.AsType[*exec.ExitError](err); ok && exit.ExitCode() >= 0 {
		return exit.ExitCode()
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s inbox: %v\n", programName, err)
		return exitFailed
	}
	return exitOK
}
