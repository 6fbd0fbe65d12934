// receiver.go holds Receiver: one receiver process started from the built
// binary, with its address, killed with SIGKILL or stopped with SIGTERM,
// and started again.

package fault

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Receiver is one receiver process. Its zero value is not usable: set
// Bin and Args, then call Start.
type Receiver struct {
	Bin    string   // the built receiver binary
	Args   []string // its flags; -addr 127.0.0.1:0 is added
	Stderr string   // file its log is appended to

	mu   sync.Mutex
	cmd  *exec.Cmd
	addr string // "" while it is not running
	done chan struct{}
	pids []int // every process started, in order
}

// Start starts the receiver and waits, for at most a minute, until it
// says where it listens.
func (r *Receiver) Start() error {
	logf, err := os.OpenFile(r.Stderr, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(r.Bin, append([]string{"-addr", "127.0.0.1:0"}, r.Args...)...)
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	addr := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, a, ok := strings.Cut(sc.Text(), "listening on http://"); ok {
				select {
				case addr <- a:
				default:
				}
			}
		}
		_ = cmd.Wait()
		close(done)
	}()
	select {
	case a := <-addr:
		r.mu.Lock()
		r.cmd, r.addr, r.done = cmd, a, done
		r.pids = append(r.pids, cmd.Process.Pid)
		r.mu.Unlock()
		return nil
	case <-done:
		return fmt.Errorf("receiver %v exited before listening; its log is in %s", r.Args, r.Stderr)
	case <-time.After(time.Minute):
		_ = cmd.Process.Kill()
		<-done
		return fmt.Errorf("receiver %v did not listen within a minute; its log is in %s", r.Args, r.Stderr)
	}
}

// Addr is where the receiver listens, or "" while it is not running.
func (r *Receiver) Addr() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.addr
}

// PIDs are the ids of every process Start started, in order.
func (r *Receiver) PIDs() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int(nil), r.pids...)
}

// Kill ends the receiver with SIGKILL, waits until it is gone, and
// returns its process id.
func (r *Receiver) Kill() (int, error) {
	return r.end(syscall.SIGKILL, 0)
}

// Stop asks the receiver to shut down with SIGTERM, and kills it if it
// has not within 30 s.
func (r *Receiver) Stop() error {
	_, err := r.end(syscall.SIGTERM, 30*time.Second)
	return err
}

func (r *Receiver) end(sig syscall.Signal, grace time.Duration) (int, error) {
	r.mu.Lock()
	cmd, done := r.cmd, r.done
	r.cmd, r.addr = nil, ""
	r.mu.Unlock()
	if cmd == nil {
		return 0, errors.New("the receiver is not running")
	}
	if err := cmd.Process.Signal(sig); err != nil {
		return 0, err
	}
	if grace > 0 {
		select {
		case <-done:
			return cmd.Process.Pid, nil
		case <-time.After(grace):
			_ = cmd.Process.Kill()
		}
	}
	<-done
	return cmd.Process.Pid, nil
}
