// gateway.go holds Gateway, a fake SMSGateway24 for tests: its options,
// what it keeps in memory, and the queue on which it posts webhooks (the
// status updates of each message it accepted, and the incoming messages a
// test injects) to the URLs a test gave it. Its REST API is in
// gateway_api.go.

package smsgw24test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"

	"github.com/go-smsgw24/smsgw24"
)

// DefaultDeviceID is the id of the one phone of a [Gateway] without
// [GatewayOptions.Devices].
const DefaultDeviceID int64 = 1

// DefaultGatewayToken is the API token of a [Gateway] without
// [GatewayOptions.Token].
const DefaultGatewayToken = "test-token"

// WireStyle is how a [Gateway] writes the webhooks it posts: each style is one
// the real gateway is seen to send.
type WireStyle int

// The wire styles.
const (
	WireJSON         WireStyle = iota // JSON as the newer documents show it (channel_id)
	WireJSONLegacy                    // JSON as the older documents show it (sim, no type for texts)
	WireForm                          // a form, escaped correctly
	WireFormPlusLost                  // a form whose phone numbers' "+" is left unescaped, so that it reads as a space
)

var wireStyleNames = [...]string{"json", "json-legacy", "form", "form-plus-lost"}

// String returns "json", "json-legacy", "form" or "form-plus-lost".
func (w WireStyle) String() string {
	if w >= 0 && int(w) < len(wireStyleNames) {
		return wireStyleNames[w]
	}
	return fmt.Sprintf("WireStyle(%d)", int(w))
}

// ParseWireStyle reads a [WireStyle] from its [WireStyle.String].
func ParseWireStyle(s string) (WireStyle, error) {
	for i, name := range wireStyleNames {
		if strings.EqualFold(s, name) {
			return WireStyle(i), nil
		}
	}
	return 0, fmt.Errorf("smsgw24test: no wire style %q (want one of %s)", s, strings.Join(wireStyleNames[:], ", "))
}

// requestOptions are the options of Encode that write a webhook in w's style.
func (w WireStyle) requestOptions() RequestOptions {
	switch w {
	case WireJSONLegacy:
		return RequestOptions{Legacy: true}
	case WireForm:
		return RequestOptions{Form: true, EscapePlus: true}
	case WireFormPlusLost:
		return RequestOptions{Form: true}
	}
	return RequestOptions{}
}

// GatewayOptions configure a [Gateway]. The zero value gives a gateway with
// one phone ([DefaultDeviceID]), the token [DefaultGatewayToken], that
// posts no webhooks.
type GatewayOptions struct {
	// Token is the account's API token; a request with another gets the
	// API's error answer. "" means [DefaultGatewayToken].
	Token string
	// Email and Password are the account's login, for gettoken; with
	// either empty, gettoken refuses every login.
	Email, Password string

	// StatusURL receives the status updates of every message accepted by
	// addsms or addalotofsms, as the device's status webhook. "" means
	// none are posted (the messages still go through their statuses).
	StatusURL string
	// IncomingURL receives the incoming messages of [Gateway.InjectText]
	// and [Gateway.InjectImage], as the device's incoming webhook; "" means
	// none are posted.
	IncomingURL string

	// Devices are the account's phones; nil means one, [DefaultDeviceID],
	// online.
	Devices []smsgw24.Device

	// Wire is how the webhooks are written; the zero value is [WireJSON].
	Wire WireStyle
	// Final is the last status of every message:
	// [smsgw24.StatusDelivered] when 0, or a failure such as
	// [smsgw24.StatusNotDelivered]. A failure to send (9 to 12, 100, 101)
	// comes without [smsgw24.StatusSent] before it.
	Final smsgw24.Status
	// FinalFor sets the last status of the messages to one recipient (the
	// sendto of addsms), over Final.
	FinalFor map[string]smsgw24.Status
	// OutOfOrder posts each message's statuses last first, as a gateway
	// whose posts overtake each other would.
	OutOfOrder bool
	// Duplicates posts each webhook twice.
	Duplicates bool
	// Retries are the pauses before each new try of a webhook that got no
	// 2xx answer; nil means a webhook is tried once.
	Retries []time.Duration

	// Location is the account's zone, in which answers write their dates
	// as PHP DateTime objects. nil means +02:00, as in the vendor's
	// examples.
	Location *time.Location
	// HTTPClient posts the webhooks; nil means one with a 10 s timeout.
	HTTPClient *http.Client
	// OnDelivery, if set, is called after each try of a webhook, in the
	// order of the tries.
	OnDelivery func(Delivery)
	// Listener, if set, is where the gateway's server listens instead of
	// a free loopback port.
	Listener net.Listener
}

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

// Gateway is a fake SMSGateway24 on an [httptest.Server], for tests of code
// that sends with [smsgw24.Client] and receives webhooks with
// [smsgw24.Handler], without a phone. It serves the REST API at URL with the
// answers' real shapes (PHP DateTime objects, collections keyed by id, the
// error envelope), keeps devices, messages, tags, contacts and
// newsletters in memory, and checks the token.
//
// For each message that addsms or addalotofsms accepts, it posts status
// updates to [GatewayOptions.StatusURL] through the message's lifecycle, 3
// (queued), 2 (taken by the phone), 6 (sent) and then 7 (delivered) or the
// failure that [GatewayOptions.Final] chose; getsmsstatus and getallsms
// report each message's status as it goes. Posts are made one at a time,
// in order, on a queue; [Gateway.Wait] returns once it is empty. A
// message's timetosend is kept but does not hold its statuses back.
//
// A Gateway is safe for concurrent use. [Gateway.Close] it when done.
type Gateway struct {
	// URL is the base URL of the REST API, ending in "/getdata/", for
	// [smsgw24.Client.BaseURL].
	URL string
	// Server is the server the gateway runs on.
	Server *httptest.Server

	opts   GatewayOptions
	client *http.Client
	loc    *time.Location

	mu          sync.Mutex
	lastID      int64
	devices     []smsgw24.Device
	messages    []*smsgw24.Message
	tags        []string // by id - 1
	contacts    []smsgw24.Contact
	newsletters []smsgw24.Newsletter
	templates   []smsgw24.TemplateSMS
	deliveries  []Delivery
	queue       []webhook
	busy        bool          // a webhook is being posted
	idle        chan struct{} // closed while nothing is queued or posted
	wake        chan struct{}
	stop        context.CancelFunc
	stopped     chan struct{}
}

// webhook is one post waiting on the queue: a status update or an incoming
// message.
type webhook struct {
	url string
	ev  smsgw24.Event
	msg *smsgw24.Message // the message whose status it carries, if any
}

// NewGateway starts a [Gateway] on an [httptest.Server].
func NewGateway(opts GatewayOptions) *Gateway {
	g := &Gateway{opts: opts, client: opts.HTTPClient, loc: opts.Location,
		idle: make(chan struct{}), wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	close(g.idle)
	if g.opts.Token == "" {
		g.opts.Token = DefaultGatewayToken
	}
	if g.client == nil {
		g.client = &http.Client{Timeout: 10 * time.Second}
	}
	if g.loc == nil {
		g.loc = time.FixedZone("+02:00", 2*3600)
	}
	g.devices = append([]smsgw24.Device(nil), opts.Devices...)
	if len(g.devices) == 0 {
		now := time.Now().UTC().Truncate(time.Second)
		g.devices = []smsgw24.Device{{ID: DefaultDeviceID, Title: "Test phone", Created: now, LastSeen: now, AppVersion: "12.1.21",
			SIMs: []smsgw24.SIMCard{{Slot: 0, Number: "+4915700000001", Carrier: "Test", CountryISO: "de"}}}}
	}
	g.lastID = 22074000 // ids of the size the real gateway gives
	ctx, stop := context.WithCancel(context.Background())
	g.stop = stop
	go g.deliver(ctx)

	g.Server = httptest.NewUnstartedServer(g)
	if opts.Listener != nil {
		_ = g.Server.Listener.Close()
		g.Server.Listener = opts.Listener
	}
	g.Server.Start()
	g.URL = g.Server.URL + "/getdata/"
	return g
}

// Client returns a [smsgw24.Client] for the gateway's API, with its token.
func (g *Gateway) Client() *smsgw24.Client {
	return &smsgw24.Client{Token: g.opts.Token, BaseURL: g.URL, HTTPClient: g.Server.Client()}
}

// Close stops posting, drops what is still queued and shuts the server
// down.
func (g *Gateway) Close() {
	g.stop()
	<-g.stopped
	g.Server.Close()
}

// Wait blocks until every webhook queued so far has been posted (with its
// retries) or dropped, or ctx ends.
func (g *Gateway) Wait(ctx context.Context) error {
	for {
		g.mu.Lock()
		idle := g.idle
		g.mu.Unlock()
		select {
		case <-idle:
			g.mu.Lock()
			done := len(g.queue) == 0 && !g.busy
			g.mu.Unlock()
			if done {
				return nil
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Deliveries returns every try of a webhook so far, in order.
func (g *Gateway) Deliveries() []Delivery {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Delivery(nil), g.deliveries...)
}

// Messages returns the messages accepted so far, with their current
// status, in the order they were accepted.
func (g *Gateway) Messages() []smsgw24.Message {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]smsgw24.Message, len(g.messages))
	for i, m := range g.messages {
		out[i] = *m
	}
	return out
}

// Tags returns the titles of the tags saved so far; a tag's id is its
// index plus one.
func (g *Gateway) Tags() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.tags...)
}

// Contacts returns the contacts saved so far.
func (g *Gateway) Contacts() []smsgw24.Contact {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]smsgw24.Contact(nil), g.contacts...)
}

// Newsletters returns the newsletters saved so far.
func (g *Gateway) Newsletters() []smsgw24.Newsletter {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]smsgw24.Newsletter(nil), g.newsletters...)
}

// Templates returns the template messages sent so far.
func (g *Gateway) Templates() []smsgw24.TemplateSMS {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]smsgw24.TemplateSMS(nil), g.templates...)
}

// InjectText makes m arrive at a phone: it is posted to
// [GatewayOptions.IncomingURL] as the gateway posts an incoming text. Zero
// fields are filled: SMSID with a new id, DeviceID with the first device,
// DeviceName with its title, Date and DateSent with now. It returns the
// SMSID.
func (g *Gateway) InjectText(m smsgw24.TextMessage) int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.fillIncoming(&m.SMSID, &m.DeviceID, &m.DeviceName, &m.Date, &m.DateSent)
	g.enqueue(webhook{url: g.opts.IncomingURL, ev: &m})
	return m.SMSID
}

// InjectImage makes the image m arrive at a phone: it is posted to
// [GatewayOptions.IncomingURL] as the gateway posts an incoming WhatsApp
// image. Zero fields are filled as [Gateway.InjectText] fills them. It
// returns the SMSID.
func (g *Gateway) InjectImage(m smsgw24.ImageMessage) int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.fillIncoming(&m.SMSID, &m.DeviceID, &m.DeviceName, &m.Date, &m.DateSent)
	if m.Channel == smsgw24.ChannelSIM1 {
		m.Channel = smsgw24.ChannelWhatsApp // images come through WhatsApp
	}
	g.enqueue(webhook{url: g.opts.IncomingURL, ev: &m})
	return m.SMSID
}

// fillIncoming fills the zero fields of an incoming message. g.mu is held.
func (g *Gateway) fillIncoming(smsID, deviceID *int64, deviceName *string, date, dateSent *time.Time) {
	if *smsID == 0 {
		g.lastID++
		*smsID = g.lastID
	}
	if *deviceID == 0 {
		*deviceID = g.devices[0].ID
	}
	d := g.device(*deviceID)
	if *deviceName == "" && d != nil {
		*deviceName = d.Title
	}
	now := time.Now().UTC().Truncate(time.Second)
	if date.IsZero() {
		*date = now
	}
	if dateSent.IsZero() {
		*dateSent = now
	}
}

// device returns the device id, or nil. g.mu is held.
func (g *Gateway) device(id int64) *smsgw24.Device {
	for i := range g.devices {
		if g.devices[i].ID == id {
			return &g.devices[i]
		}
	}
	return nil
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
