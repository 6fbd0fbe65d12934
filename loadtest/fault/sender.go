// sender.go holds Sender: it posts every event of a run with copies spread
// over the receivers (a copy at the same moment on another receiver, a
// copy later), and retries every post that did not get a 200, on the next
// receiver that runs, with a growing pause, as the gateway does. It
// records every answer.

package fault

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Answer is one attempt of a post.
type Answer struct {
	Event    int
	Receiver int
	Code     int // 0: no answer (refused, reset, timed out)
	Sent     time.Time
	Answered time.Time
}

// Sender posts events to receivers.
type Sender struct {
	Receivers []*Receiver
	Token     string
	Workers   int // concurrent posts; 0 means 8
	// PairEvery: every n-th event is also posted at the same moment to the
	// next receiver (0: never). CopyEvery: every n-th event is posted
	// again CopyLag posts later, to the receiver after that (0: never).
	PairEvery, CopyEvery, CopyLag int

	done    atomic.Int64 // posts that got their 200 or gave up
	mu      sync.Mutex
	answers []Answer
}

type post struct{ event, receiver int }

// plan lists the posts of n events in the order they are sent.
func (s *Sender) plan(n int) []post {
	r := len(s.Receivers)
	var posts []post
	var later []post // copies, with the index they are due at
	var due []int
	for i := range n {
		posts = append(posts, post{i, i % r})
		if s.PairEvery > 0 && i%s.PairEvery == 0 {
			posts = append(posts, post{i, (i + 1) % r})
		}
		if s.CopyEvery > 0 && i%s.CopyEvery == 0 {
			later = append(later, post{i, (i + 2) % r})
			due = append(due, len(posts)+s.CopyLag)
		}
		for len(due) > 0 && due[0] <= len(posts) {
			posts = append(posts, later[0])
			later, due = later[1:], due[1:]
		}
	}
	return append(posts, later...)
}

// Posts is how many posts Run makes for n events, copies included.
func (s *Sender) Posts(n int) int { return len(s.plan(n)) }

// Done is how many posts have got their 200, or given up, so far.
func (s *Sender) Done() int { return int(s.done.Load()) }

// Run posts every event, each post retried until it gets a 200 or until
// ctx ends, and returns the answers to every attempt.
func (s *Sender) Run(ctx context.Context, events []Event) []Answer {
	workers := s.Workers
	if workers <= 0 {
		workers = 8
	}
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: workers, MaxConnsPerHost: 4 * workers},
	}
	defer client.CloseIdleConnections()
	queue := make(chan post)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for p := range queue {
				s.send(ctx, client, events, p)
				s.done.Add(1)
			}
		})
	}
	for _, p := range s.plan(len(events)) {
		select {
		case queue <- p:
		case <-ctx.Done():
		}
	}
	close(queue)
	wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answers
}

// send posts p until it gets a 200, trying the next running receiver after
// a failure, with a pause that grows from 20 ms to 1 s.
func (s *Sender) send(ctx context.Context, client *http.Client, events []Event, p post) {
	pause := 20 * time.Millisecond
	for rcv := p.receiver; ; rcv = (rcv + 1) % len(s.Receivers) {
		if addr := s.Receivers[rcv].Addr(); addr != "" {
			a := Answer{Event: p.event, Receiver: rcv, Sent: time.Now()}
			a.Code = s.post(ctx, client, "http://"+addr+"/smsgw24?token="+s.Token, events[p.event].Body)
			a.Answered = time.Now()
			s.mu.Lock()
			s.answers = append(s.answers, a)
			s.mu.Unlock()
			if a.Code == http.StatusOK {
				return
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, time.Second)
	}
}

func (s *Sender) post(ctx context.Context, client *http.Client, url string, body []byte) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}
