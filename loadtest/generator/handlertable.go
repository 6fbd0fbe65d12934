//go:build linux

// handlertable.go holds -handler-table: the library's request path
// measured end to end, as the Handler behind a token with callbacks that
// do nothing (-serve-handler) against the empty net/http handler
// (-serve-empty), both servers on one CPU and the generator on another,
// in alternating rounds of the same traffic, with each round's ratio and
// their median.

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"
)

// handlerRow is one target of the table and what each round measured.
type handlerRow struct {
	*target
	rounds []float64 // requests per second in each round
	warmup *target   // the warm-up, not counted but for its errors
}

func handlerTable(ctx context.Context, c config, stdout, stderr io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	pin, whyNot := planPinning()
	if whyNot == nil {
		if err := pin.pinSelf(); err != nil {
			return err
		}
	}
	empty := &handlerRow{target: &target{name: "empty handler"}}
	if err := empty.start(pin.command(self, "-serve-empty", "-addr", "127.0.0.1:0"), stderr); err != nil {
		return err
	}
	defer empty.stop()
	handler := &handlerRow{target: &target{name: "smsgw24.Handler"}}
	if err := handler.start(pin.command(self, "-serve-handler", "-addr", "127.0.0.1:0", "-token", c.token), stderr); err != nil {
		return err
	}
	defer handler.stop()
	rows := []*handlerRow{empty, handler}

	phase := c.duration / time.Duration(c.rounds)
	warm := min(phase/4, time.Second)
	fmt.Fprintf(stdout, "machine: %s, nproc %d, %s %s/%s\n", cpuModel(), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if cmd := os.Getenv("LOADTEST_COMMAND"); cmd != "" {
		fmt.Fprintf(stdout, "command: %s\n", cmd)
	}
	fmt.Fprintf(stdout, "generator: %s\n", shellLine(os.Args))
	if whyNot != nil {
		fmt.Fprintf(stdout, "WARNING: not pinned, %v: the servers and the generator share the CPUs, and the numbers are less precise\n", whyNot)
		fmt.Fprintf(stderr, "loadtest: WARNING: -handler-table runs unpinned: %v\n", whyNot)
	} else {
		lists := make([]string, len(rows))
		for i, r := range rows {
			if lists[i], err = cpusAllowed(fmt.Sprint(r.cmd.Process.Pid)); err != nil {
				return err
			}
		}
		gen, err := threadsCPUsAllowed()
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "pinning: servers with taskset -c %d (CPUs allowed: empty handler %s, Handler %s); generator with taskset -a -p -c %d (CPUs allowed: %s), GOMAXPROCS %d\n",
			pin.server, lists[0], lists[1], pin.generator, strings.Join(gen, " and "), runtime.GOMAXPROCS(0))
	}
	fmt.Fprintf(stdout, "load: %s per target in %d alternating rounds of %s, after %s of warm-up each, %d connections; new events (status, text, image in turn),\n",
		c.duration, c.rounds, phase, warm, c.conns)
	fmt.Fprintf(stdout, "      every %d-th sent twice at once, every %d-th request followed by a copy of the event %d before\n", c.pairEvery, c.copyEvery, c.copyLag)
	fmt.Fprintln(stdout, "servers: the same http.Server settings, no mux; a net/http handler that does nothing, and an smsgw24.Handler with Token,")
	fmt.Fprintln(stdout, "         callbacks that return nil, no Deduplicator, a Logger that discards")
	fmt.Fprintln(stdout)

	for _, r := range rows {
		r.warmup = &target{name: r.name, cmd: r.cmd, addr: r.addr, errorKinds: map[string]int64{}}
		if err := r.warmup.drive(ctx, c, warm); err != nil {
			return fmt.Errorf("%s: warm-up: %w", r.name, err)
		}
		if err := r.sample(); err != nil {
			return err
		}
	}
	var ratios []float64
	for i := range c.rounds {
		order := rows
		if i%2 == 1 {
			order = []*handlerRow{handler, empty}
		}
		for _, r := range order {
			requests, loaded := r.requests, r.loaded
			if err := r.drive(ctx, c, phase); err != nil {
				return fmt.Errorf("%s: %w", r.name, err)
			}
			r.rounds = append(r.rounds, float64(r.requests-requests)/(r.loaded-loaded).Seconds())
		}
		ratios = append(ratios, handler.rounds[i]/empty.rounds[i])
	}

	fmt.Fprintf(stdout, "%-7s %14s %16s %16s\n", "round", "empty req/s", "Handler req/s", "Handler ÷ empty")
	for i, ratio := range ratios {
		fmt.Fprintf(stdout, "%-7d %14.0f %16.0f %16.3f\n", i+1, empty.rounds[i], handler.rounds[i], ratio)
	}
	fmt.Fprintf(stdout, "%-7s %14.0f %16.0f %16.3f\n\n", "median", median(empty.rounds), median(handler.rounds), median(ratios))

	fmt.Fprintf(stdout, "%-16s %14s %9s %9s %7s %15s %12s %15s\n", "target", "median req/s", "p50", "p99", "errors", "server CPU/req", "server busy", "generator busy")
	ok := true
	for _, r := range rows {
		fmt.Fprintf(stdout, "%-16s %14.0f %9s %9s %7d %15s %11.0f%% %14.0f%%\n", r.name, median(r.rounds),
			round(r.percentile(50)), round(r.percentile(99)), r.errors+r.warmup.errors, r.cpuPerRequest(),
			100*r.cpu.Seconds()/r.loaded.Seconds(), 100*r.genCPU.Seconds()/r.loaded.Seconds())
		if r.errors+r.warmup.errors > 0 {
			ok = false
			fmt.Fprintf(stdout, "errors: %s: %v (must be 0)\n", r.name, r.errorKinds)
		}
	}
	fmt.Fprintf(stdout, "\nthe Handler serves %.1f%% of the empty handler's requests per second (median of %d rounds), at %s more server CPU per request\n",
		100*median(ratios), c.rounds, handler.cpuPerRequest()-empty.cpuPerRequest())
	fmt.Fprintln(stdout, "(busy: CPU time over load time; a generator near 100% limits both targets alike, and the ratio then understates the difference)")
	if !ok {
		fmt.Fprintln(stdout, "\nFAIL")
		return errFailed
	}
	fmt.Fprintln(stdout, "\nPASS")
	return nil
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

var plainWord = regexp.MustCompile(`^[A-Za-z0-9_./:=@%+,-]+$`)

// shellLine writes args as a shell would take them back.
func shellLine(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		if plainWord.MatchString(a) {
			quoted[i] = a
		} else {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(quoted, " ")
}
