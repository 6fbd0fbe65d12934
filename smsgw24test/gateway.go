// gateway.go holds Gateway, a fake SMSGateway24 for tests: how it starts and
// stops, what it keeps in memory and shows to a test, and the incoming
// messages a test injects. Its options are in gateway_options.go, the queue
// on which it posts webhooks in gateway_webhooks.go, and its REST API in
// gateway_api.go.

package smsgw24test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/go-smsgw24/smsgw24"
)

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
