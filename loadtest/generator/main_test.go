//go:build linux

// main_test.go checks the generator's pieces: the requests it writes, the
// answers it reads, and a short drive of the empty handler in-process.

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestAppendRequest(t *testing.T) {
	w := &worker{host: "127.0.0.1:1", token: "tok"}
	for ev := range int64(6) {
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(w.appendRequest(nil, ev))))
		if err != nil {
			t.Fatalf("event %d: %v", ev, err)
		}
		body, err := io.ReadAll(req.Body)
		if err != nil {
			t.Fatal(err)
		}
		var fields map[string]any
		if err := json.Unmarshal(body, &fields); err != nil {
			t.Fatalf("event %d: %v: %s", ev, err, body)
		}
		if got, want := fields["sms_id"], float64(5_000_000+ev); got != want {
			t.Errorf("event %d: sms_id %v, want %v", ev, got, want)
		}
		if req.URL.Query().Get("token") != "tok" || req.Header.Get("Content-Type") != "application/json" {
			t.Errorf("event %d: %s %s", ev, req.URL, req.Header)
		}
	}
}

func TestReadResponse(t *testing.T) {
	answers := "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"ok\":true}\n" +
		"HTTP/1.1 409 Conflict\r\nconnection: Close\r\ncontent-length: 2\r\n\r\n{}" +
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
	r := bufio.NewReader(strings.NewReader(answers))
	code, keep, err := readResponse(r)
	if code != 200 || !keep || err != nil {
		t.Errorf("first: %d %v %v", code, keep, err)
	}
	code, keep, err = readResponse(r)
	if code != 409 || keep || err != nil {
		t.Errorf("second: %d %v %v", code, keep, err)
	}
	if _, _, err = readResponse(r); err == nil {
		t.Error("an answer without Content-Length was read")
	}
}

// addrWriter hands over the address the empty handler announces.
type addrWriter chan string

func (w addrWriter) Write(p []byte) (int, error) {
	if _, addr, ok := strings.Cut(strings.TrimSpace(string(p)), "listening on http://"); ok {
		w <- addr
	}
	return len(p), nil
}

// TestDriveEmptyHandler drives the empty handler, served in-process, for
// a moment: every request is answered, and the memory and CPU of this
// process are read.
func TestDriveEmptyHandler(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	stdout := make(addrWriter, 1)
	done := make(chan int, 1)
	go func() { done <- serveEmpty(ctx, "127.0.0.1:0", stdout, io.Discard) }()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serveEmpty exited with %d", code)
		}
	}()
	self, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	tg := &target{name: "empty handler", cmd: &exec.Cmd{Process: self}, addr: <-stdout, errorKinds: map[string]int64{}}
	if err := tg.sample(); err != nil {
		t.Fatal(err)
	}
	c := config{conns: 4, pairEvery: 3, copyEvery: 5, copyLag: 10, keep: 50, token: "tok"}
	if err := tg.drive(ctx, c, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if tg.requests == 0 || tg.errors != 0 {
		t.Fatalf("%d requests answered, %d errors: %v", tg.requests, tg.errors, tg.errorKinds)
	}
	if tg.ackedEvents() != int(tg.nextEvent) {
		t.Errorf("%d distinct events acknowledged, %d sent", tg.ackedEvents(), tg.nextEvent)
	}
	if len(tg.rss) < 2 || tg.rps() <= 0 {
		t.Errorf("rss samples %v, %f req/s", tg.rss, tg.rps())
	}
}
