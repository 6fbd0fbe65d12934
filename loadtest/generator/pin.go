//go:build linux

// pin.go holds the pinning of -handler-table: the servers on one CPU, with
// util-linux's taskset, and the generator on another, with taskset -a -p
// on its own threads, and the reading back of what each was pinned to
// from /proc.

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// pinning is where the servers and the generator run; the zero value
// pins nothing.
type pinning struct {
	server, generator int // CPU numbers
	on                bool
}

// planPinning picks the first two CPUs this process may run on: the first
// for the servers, the second for the generator. It returns why it cannot
// when taskset is missing or there are fewer than two CPUs.
func planPinning() (pinning, error) {
	if _, err := exec.LookPath("taskset"); err != nil {
		return pinning{}, errors.New("taskset (util-linux) is not installed")
	}
	list, err := cpusAllowed("self")
	if err != nil {
		return pinning{}, err
	}
	cpus, err := parseCPUList(list)
	if err != nil {
		return pinning{}, err
	}
	if len(cpus) < 2 {
		return pinning{}, fmt.Errorf("this process may run on %d CPU (%s), 2 are needed", len(cpus), list)
	}
	return pinning{server: cpus[0], generator: cpus[1], on: true}, nil
}

// command is the command that runs name with args, on the servers' CPU.
func (p pinning) command(name string, args ...string) *exec.Cmd {
	if !p.on {
		return exec.Command(name, args...)
	}
	return exec.Command("taskset", append([]string{"-c", strconv.Itoa(p.server), name}, args...)...)
}

// pinSelf pins every thread of this process to the generator's CPU, for
// the rest of its life, and runs Go code on one thread at a time there.
// The threads the runtime starts later inherit the CPU of the thread that
// starts them; one started while taskset was at work may have been
// missed, so the pinning is read back from /proc and done again until
// every thread has it.
func (p pinning) pinSelf() error {
	want := strconv.Itoa(p.generator)
	pid := strconv.Itoa(os.Getpid())
	for range 5 {
		if out, err := exec.Command("taskset", "-a", "-p", "-c", want, pid).CombinedOutput(); err != nil {
			return fmt.Errorf("taskset -a -p -c %s %s: %v: %s", want, pid, err, out)
		}
		if lists, err := threadsCPUsAllowed(); err == nil && len(lists) == 1 && lists[0] == want {
			runtime.GOMAXPROCS(1)
			return nil
		}
	}
	return fmt.Errorf("the threads of this process are not all on CPU %s", want)
}

// cpusAllowed reads Cpus_allowed_list from /proc/PID/status, such as
// "0-1"; pid may be "self" or "self/task/TID".
func cpusAllowed(pid string) (string, error) {
	data, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return "", err
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if value, ok := strings.CutPrefix(line, "Cpus_allowed_list:"); ok {
			return strings.TrimSpace(value), nil
		}
	}
	return "", fmt.Errorf("no Cpus_allowed_list in /proc/%s/status", pid)
}

// threadsCPUsAllowed returns the distinct CPU lists the threads of this
// process may run on.
func threadsCPUsAllowed() ([]string, error) {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return nil, err
	}
	var lists []string
	for _, task := range tasks {
		list, err := cpusAllowed("self/task/" + task.Name())
		if errors.Is(err, os.ErrNotExist) {
			continue // the thread ended
		}
		if err != nil {
			return nil, err
		}
		if !slices.Contains(lists, list) {
			lists = append(lists, list)
		}
	}
	return lists, nil
}

// parseCPUList reads a CPU list such as "0-3,8,10-11" into its CPU
// numbers, in order.
func parseCPUList(list string) ([]int, error) {
	var cpus []int
	for part := range strings.SplitSeq(list, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		first, err := strconv.Atoi(lo)
		if err != nil || first < 0 {
			return nil, fmt.Errorf("bad CPU list %q", list)
		}
		last := first
		if isRange {
			if last, err = strconv.Atoi(hi); err != nil || last < first {
				return nil, fmt.Errorf("bad CPU list %q", list)
			}
		}
		for cpu := first; cpu <= last; cpu++ {
			cpus = append(cpus, cpu)
		}
	}
	return cpus, nil
}
