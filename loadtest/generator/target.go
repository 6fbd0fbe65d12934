//go:build linux

// target.go holds target: a server the generator starts as a child process
// on loopback and stops at the end, how one round of load is driven at it
// by the workers, and what it measured (requests, latencies, errors,
// events acknowledged, memory and CPU time), with the readers of /proc
// that take the memory and CPU time of it and of the generator.

package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// target is a server started as a child process, and what its runs
// measured.
type target struct {
	name string
	cmd  *exec.Cmd
	addr string
	done chan error

	nextEvent  int64         // the next new event's number
	loaded     time.Duration // time under load so far, in all rounds
	requests   int64         // answered, whatever the answer
	errors     int64
	errorKinds map[string]int64
	retried    int64           // 409s retried
	latencies  []time.Duration // sorted after each round
	acked      []int64         // events answered 200, with repeats
	rss        []rssSample
	peakKiB    int64
	full       time.Duration // load time when the receiver first held -keep events; 0 if never
	cpu        time.Duration // the server's CPU time under load
	genCPU     time.Duration // the generator's CPU time driving it
}

type rssSample struct {
	at  time.Duration // load time
	kiB int64
}

// start runs cmd and waits for the line on its stdout that says where it
// listens: "... listening on http://127.0.0.1:PORT".
func (t *target) start(cmd *exec.Cmd, log io.Writer) error {
	t.cmd, t.done, t.errorKinds = cmd, make(chan error, 1), map[string]int64{}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		return err
	}
	addr := make(chan string, 1)
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
		t.done <- cmd.Wait()
	}()
	select {
	case t.addr = <-addr:
	case err := <-t.done:
		t.cmd = nil
		return fmt.Errorf("%s exited before listening: %v", cmd.Path, err)
	case <-time.After(30 * time.Second):
		t.stop()
		return fmt.Errorf("%s did not say where it listens", cmd.Path)
	}
	if host, _, err := net.SplitHostPort(t.addr); err != nil || host != "127.0.0.1" {
		t.stop()
		return fmt.Errorf("%s listens on %q, not on 127.0.0.1", cmd.Path, t.addr)
	}
	return nil
}

// stop asks the target to shut down, and kills it if it does not.
func (t *target) stop() {
	if t.cmd == nil {
		return
	}
	_ = t.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-t.done:
	case <-time.After(15 * time.Second):
		_ = t.cmd.Process.Kill()
		<-t.done
	}
	t.cmd = nil
}

// sample records the target's memory now.
func (t *target) sample() error {
	rss, peak, err := readMemory(t.cmd.Process.Pid)
	if err != nil {
		return fmt.Errorf("%s: reading its memory from /proc: %w", t.name, err)
	}
	t.rss = append(t.rss, rssSample{at: t.loaded, kiB: rss})
	t.peakKiB = max(t.peakKiB, peak)
	return nil
}

// drive sends load to the target for d.
func (t *target) drive(ctx context.Context, c config, d time.Duration) error {
	var (
		next    atomic.Int64
		stop    atomic.Bool
		full    atomic.Int64 // ns into this round when -keep events had been sent
		mu      sync.Mutex
		wg      sync.WaitGroup
		workers []*worker
	)
	next.Store(t.nextEvent)
	cpu0, err := readCPU(t.cmd.Process.Pid)
	if err != nil {
		return err
	}
	gen0 := selfCPU()
	start := time.Now()
	for range c.conns {
		wg.Go(func() {
			w := &worker{addr: t.addr, host: t.addr, token: c.token, errorKinds: map[string]int64{}}
			defer w.close()
			for !stop.Load() && ctx.Err() == nil {
				ev := next.Add(1) - 1
				if ev == int64(c.keep) {
					full.Store(int64(time.Since(start)))
				}
				if w.send(ev, c.pairEvery > 0 && ev%int64(c.pairEvery) == 0) {
					w.acked = append(w.acked, ev)
				}
				if c.copyEvery > 0 && ev%int64(c.copyEvery) == 0 && ev >= int64(c.copyLag) {
					if w.send(ev-int64(c.copyLag), false) {
						w.acked = append(w.acked, ev-int64(c.copyLag))
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			workers = append(workers, w)
		})
	}
	ticker := time.NewTicker(500 * time.Millisecond)
	defer ticker.Stop()
	timer := time.NewTimer(d)
	defer timer.Stop()
wait:
	for {
		select {
		case <-ticker.C:
			loaded := t.loaded
			t.loaded += time.Since(start)
			err := t.sample()
			t.loaded = loaded
			if err != nil {
				stop.Store(true)
				wg.Wait()
				return err
			}
		case <-timer.C:
			break wait
		case <-ctx.Done():
			break wait
		}
	}
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(start)
	cpu1, err := readCPU(t.cmd.Process.Pid)
	if err != nil {
		return err
	}
	t.cpu += cpu1 - cpu0
	t.genCPU += selfCPU() - gen0
	if f := full.Load(); f > 0 && t.full == 0 {
		t.full = t.loaded + time.Duration(f)
	}
	t.loaded += elapsed
	t.nextEvent = next.Load()
	for _, w := range workers {
		t.requests += w.requests
		t.errors += w.errors
		t.retried += w.retried
		t.latencies = append(t.latencies, w.latencies...)
		t.acked = append(t.acked, w.acked...)
		for k, n := range w.errorKinds {
			t.errorKinds[k] += n
		}
	}
	slices.Sort(t.latencies)
	if err := ctx.Err(); err != nil {
		return err
	}
	if t.requests == 0 {
		return fmt.Errorf("no request was answered: %v", t.errorKinds)
	}
	return t.sample()
}

func (t *target) rps() float64 { return float64(t.requests) / t.loaded.Seconds() }

func (t *target) cpuPerRequest() time.Duration {
	return (t.cpu / time.Duration(t.requests)).Round(10 * time.Nanosecond)
}

func genCPUPerRequest(targets []*target) time.Duration {
	var cpu time.Duration
	var n int64
	for _, t := range targets {
		cpu += t.genCPU
		n += t.requests
	}
	return (cpu / time.Duration(n)).Round(10 * time.Nanosecond)
}

func (t *target) ackedEvents() int {
	acked := slices.Clone(t.acked)
	slices.Sort(acked)
	return len(slices.Compact(acked))
}

func (t *target) percentile(p float64) time.Duration {
	if len(t.latencies) == 0 {
		return 0
	}
	return t.latencies[int(p/100*float64(len(t.latencies)-1))]
}

// memoryAtHalf is the first RSS sample taken at half time, or once the
// receiver held -keep events if that came later.
func (t *target) memoryAtHalf() rssSample {
	at := max(t.full, t.loaded/2)
	for _, s := range t.rss {
		if s.at >= at {
			return s
		}
	}
	return t.rss[len(t.rss)-1]
}

// memoryGrew reports whether RSS grew in the second half of the run, once
// the receiver was full: by more than a quarter and 4 MiB.
func (t *target) memoryGrew() bool {
	mid, end := t.memoryAtHalf(), t.rss[len(t.rss)-1]
	return t.full == 0 || end.kiB > mid.kiB+mid.kiB/4+4096
}

func (t *target) memoryLine() string {
	mid, end := t.memoryAtHalf(), t.rss[len(t.rss)-1]
	return fmt.Sprintf("RSS %s at start, %s after %.1fs of load, %s at the end (%.1fs), peak %s",
		mib(t.rss[0].kiB), mib(mid.kiB), mid.at.Seconds(), mib(end.kiB), end.at.Seconds(), mib(t.peakKiB))
}

// readMemory reads VmRSS and VmHWM, in KiB, from /proc/PID/status.
func readMemory(pid int) (rss, peak int64, err error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0, err
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(value), "kB"))
		switch name {
		case "VmRSS":
			rss, err = strconv.ParseInt(value, 10, 64)
		case "VmHWM":
			peak, err = strconv.ParseInt(value, 10, 64)
		}
		if err != nil {
			return 0, 0, err
		}
	}
	if rss == 0 {
		return 0, 0, errors.New("no VmRSS")
	}
	return rss, peak, nil
}

// readCPU reads the user and system time of a process from /proc/PID/stat,
// in clock ticks of 10ms (USER_HZ is 100 on Linux).
func readCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: count fields
	// after it. utime and stime are the 14th and 15th fields.
	i := bytes.LastIndexByte(data, ')')
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 13 {
		return 0, errors.New("short /proc/PID/stat")
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, errors.New("bad /proc/PID/stat")
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// selfCPU is the user and system time of this process.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
			return strings.TrimSpace(value)
		}
	}
	return "unknown CPU"
}
