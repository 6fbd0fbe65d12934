// gateway_webhooks.go holds the queue on which a Gateway posts its
// webhooks, one at a time and in order: the status updates of each message
// it accepted through the message's lifecycle, and the incoming messages a
// test injects; each try of a post, with its retries, is kept as a
// Delivery.

package smsgw24test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/go-smsgw24/smsgw24"
)

// Delivery is one try of a webhook post and the answer it got.
type Delivery struct {
	URL         string        // where it was posted
	Event       smsgw24.Event // a *StatusUpdate, *TextMessage or *ImageMessage
	ContentType string
	Body        []byte
	Attempt     int    // 1 for the first try
	StatusCode  int    // the answer's HTTP status; 0 when none came
	Answer      string // the answer's body, trimmed and cut to 1 KiB
	Err         error  // why no answer came
}

// OK reports whether the post got a 2xx answer.
func (d Delivery) OK() bool { return d.StatusCode >= 200 && d.StatusCode < 300 }

// webhook is one post waiting on the queue: a status update or an incoming
// message.
type webhook struct {
	url string
	ev  smsgw24.Event
	msg *smsgw24.Message // the message whose status it carries, if any
}

// lifecycle lists the statuses a message goes through to final.
func lifecycle(final smsgw24.Status) []smsgw24.Status {
	steps := []smsgw24.Status{smsgw24.StatusQueued, smsgw24.StatusTakenByPhone, smsgw24.StatusSent}
	for i, s := range steps {
		if s == final {
			return steps[:i+1]
		}
	}
	if final.Failed() && final != smsgw24.StatusNotDelivered {
		steps = steps[:2] // not sent at all
	}
	return append(steps, final)
}

// accept queues the lifecycle of a message just accepted. g.mu is held.
func (g *Gateway) accept(m *smsgw24.Message) {
	final := g.opts.Final
	if f, ok := g.opts.FinalFor[m.To]; ok {
		final = f
	}
	if final == 0 {
		final = smsgw24.StatusDelivered
	}
	steps := lifecycle(final)
	if g.opts.OutOfOrder {
		for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
			steps[i], steps[j] = steps[j], steps[i]
		}
	}
	for _, s := range steps {
		g.enqueue(webhook{url: g.opts.StatusURL, msg: m, ev: &smsgw24.StatusUpdate{
			SMSID: m.ID, Status: s, StatusMessage: s.Message(language.English), SendTo: m.To,
			Channel: m.Channel, DeviceID: m.DeviceID,
		}})
	}
}

// enqueue puts w on the queue. g.mu is held.
func (g *Gateway) enqueue(w webhook) {
	if len(g.queue) == 0 && !g.busy {
		g.idle = make(chan struct{})
	}
	g.queue = append(g.queue, w)
	select {
	case g.wake <- struct{}{}:
	default:
	}
}

// deliver posts the queued webhooks one at a time until ctx ends.
func (g *Gateway) deliver(ctx context.Context) {
	defer close(g.stopped)
	defer func() {
		g.mu.Lock()
		g.queue, g.busy = nil, false
		select {
		case <-g.idle:
		default:
			close(g.idle)
		}
		g.mu.Unlock()
	}()
	for {
		g.mu.Lock()
		if len(g.queue) == 0 {
			g.busy = false
			select {
			case <-g.idle:
			default:
				close(g.idle)
			}
			g.mu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-g.wake:
				continue
			}
		}
		w := g.queue[0]
		g.queue = g.queue[1:]
		g.busy = true
		g.apply(w)
		g.mu.Unlock()

		copies := 1
		if g.opts.Duplicates {
			copies = 2
		}
		for range copies {
			if !g.post(ctx, w) {
				return
			}
		}
	}
}

// apply records what a status update says about its message, as the
// gateway's own records change. g.mu is held.
func (g *Gateway) apply(w webhook) {
	su, ok := w.ev.(*smsgw24.StatusUpdate)
	if !ok || w.msg == nil {
		return
	}
	now := time.Now().UTC().Truncate(time.Second)
	if su.Status == smsgw24.StatusSent || (su.Status.Final() && !su.Status.Failed()) || su.Status == smsgw24.StatusNotDelivered {
		su.SentTime = now
		if w.msg.SentTime.IsZero() {
			w.msg.SentTime = now
		}
	}
	if su.Status.Supersedes(w.msg.Status) {
		w.msg.Status = su.Status
		w.msg.StatusText = su.Status.Message(language.English)
	}
}

// post tries one webhook until it gets a 2xx answer or its retries are
// spent. It returns false when ctx ended.
func (g *Gateway) post(ctx context.Context, w webhook) bool {
	if w.url == "" {
		return true
	}
	contentType, body := Encode(w.ev, g.opts.Wire.requestOptions())
	for attempt := 1; ; attempt++ {
		d := Delivery{URL: w.url, Event: w.ev, ContentType: contentType, Body: body, Attempt: attempt}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", contentType)
			var resp *http.Response
			if resp, err = g.client.Do(req); err == nil {
				data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
				resp.Body.Close()
				d.StatusCode, d.Answer = resp.StatusCode, strings.TrimSpace(string(data))
			}
		}
		d.Err = err
		if ctx.Err() != nil {
			return false
		}
		g.mu.Lock()
		g.deliveries = append(g.deliveries, d)
		g.mu.Unlock()
		if g.opts.OnDelivery != nil {
			g.opts.OnDelivery(d)
		}
		if d.OK() || attempt > len(g.opts.Retries) {
			return true
		}
		pause := time.NewTimer(g.opts.Retries[attempt-1])
		select {
		case <-ctx.Done():
			pause.Stop()
			return false
		case <-pause.C:
		}
	}
}
