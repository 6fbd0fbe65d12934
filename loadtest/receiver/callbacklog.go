// callbacklog.go holds the callback log: one line per step of a callback
// (start, done) and of its de-duplication (commit, commit-failed), with the
// event's key, the process id and the time, each line written to the file
// by its own write call, so that a process killed with SIGKILL loses no
// line it wrote. The fault tests of this module read it.

package main

import (
	"os"
	"strconv"
	"time"
)

// callbackLog appends lines "STEP KEY PID UNIXNANO" to a file. A nil
// *callbackLog writes nothing. It is safe for concurrent use: each line
// is one write to a file opened for appending.
type callbackLog struct {
	f   *os.File
	pid int
}

func openCallbackLog(path string) (*callbackLog, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	return &callbackLog{f: f, pid: os.Getpid()}, nil
}

// write appends one line. An error to write it ends the process: a log
// with lines missing would make the tests that read it lie.
func (l *callbackLog) write(step, key string) {
	if l == nil {
		return
	}
	buf := make([]byte, 0, 80)
	buf = append(buf, step...)
	buf = append(buf, ' ')
	buf = append(buf, key...)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, int64(l.pid), 10)
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, time.Now().UnixNano(), 10)
	buf = append(buf, '\n')
	if _, err := l.f.Write(buf); err != nil {
		os.Stderr.WriteString("receiver: callback log: " + err.Error() + "\n")
		os.Exit(1)
	}
}

func (l *callbackLog) close() error {
	if l == nil {
		return nil
	}
	return l.f.Close()
}
