// callbacks.go reads the callback logs the receivers write with
// -callback-log: one line "STEP KEY PID UNIXNANO" per step, STEP being
// start, done (the callback's end), commit or commit-failed (the
// Deduplicator's answer to the Handler's Commit after the callback).

package fault

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Step is one line of a callback log.
type Step struct {
	Step string // start, done, commit, commit-failed
	Key  string
	PID  int
	At   time.Time
}

// ReadCallbackLogs reads the lines of every file in paths, in file order
// and line order. A file that does not exist has no lines; a last line
// without its newline (a write cut by a kill, which one write call per
// line should never leave) is an error.
func ReadCallbackLogs(paths ...string) ([]Step, error) {
	var steps []Step
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if len(data) > 0 && data[len(data)-1] != '\n' {
			return nil, fmt.Errorf("%s: the last line is cut: %q", path, data[max(0, len(data)-80):])
		}
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for n := 1; sc.Scan(); n++ {
			f := strings.Fields(sc.Text())
			if len(f) != 4 {
				return nil, fmt.Errorf("%s:%d: want 4 fields: %q", path, n, sc.Text())
			}
			pid, err1 := strconv.Atoi(f[2])
			ns, err2 := strconv.ParseInt(f[3], 10, 64)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("%s:%d: bad pid or time: %q", path, n, sc.Text())
			}
			steps = append(steps, Step{Step: f[0], Key: f[1], PID: pid, At: time.Unix(0, ns)})
		}
	}
	return steps, nil
}
