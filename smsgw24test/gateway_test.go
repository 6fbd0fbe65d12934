// gateway_test.go drives Gateway with smsgw24.Client and receives its
// webhooks with a Recorder: every method of the API, the token check, each
// wire style, final statuses, statuses out of order, duplicates, retries on
// a schedule, and incoming messages.

package smsgw24test_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

// receiver is a user's webhook endpoint, recording what it accepts.
func receiver(t *testing.T, h *smsgw24.Handler) (*smsgw24test.Recorder, string) {
	rec := smsgw24test.NewRecorder(h)
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return rec, srv.URL + "/smsgw24?token=hook-secret"
}

func newGateway(t *testing.T, opts smsgw24test.GatewayOptions) *smsgw24test.Gateway {
	g := smsgw24test.NewGateway(opts)
	t.Cleanup(g.Close)
	return g
}

func wait(t *testing.T, g *smsgw24test.Gateway) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, g.Wait(ctx))
}

func statusCodes(ss []*smsgw24.StatusUpdate) []smsgw24.Status {
	out := []smsgw24.Status{}
	for _, s := range ss {
		out = append(out, s.Status)
	}
	return out
}

var lifecycleDelivered = []smsgw24.Status{smsgw24.StatusQueued, smsgw24.StatusTakenByPhone, smsgw24.StatusSent, smsgw24.StatusDelivered}

func TestGatewaySendAndReport(t *testing.T) {
	rec, hook := receiver(t, &smsgw24.Handler{Verifier: smsgw24.Token("hook-secret")})
	g := newGateway(t, smsgw24test.GatewayOptions{StatusURL: hook, Email: "me@example.com", Password: "pw"})
	c := g.Client()
	ctx := context.Background()

	id, err := c.SendSMS(ctx, smsgw24.SMS{To: "+4915752982212", Body: "Hello", DeviceID: smsgw24test.DefaultDeviceID, CustomerID: 42, Urgent: true})
	require.NoError(t, err)
	wait(t, g)

	assert.Equal(t, lifecycleDelivered, statusCodes(rec.Statuses()))
	for _, s := range rec.Statuses() {
		assert.Equal(t, id, s.SMSID)
		assert.Equal(t, "+4915752982212", s.SendTo)
		assert.Equal(t, smsgw24test.DefaultDeviceID, s.DeviceID)
	}
	for _, d := range g.Deliveries() {
		assert.Equal(t, 200, d.StatusCode)
		assert.Equal(t, 1, d.Attempt)
	}

	status, err := c.SMSStatus(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, smsgw24.StatusDelivered, status)

	ms, err := c.Messages(ctx, smsgw24.MessageQuery{CustomerID: 42})
	require.NoError(t, err)
	require.Len(t, ms, 1)
	m := ms[0]
	assert.Equal(t, id, m.ID)
	assert.Equal(t, "+4915752982212", m.To)
	assert.Equal(t, smsgw24.StatusDelivered, m.Status)
	assert.True(t, m.Urgent)
	assert.Equal(t, time.UTC, m.Created.Location())
	assert.False(t, m.SentTime.IsZero())
	assert.Equal(t, g.Messages()[0], m, "the client reads back what the gateway keeps")

	none, err := c.Messages(ctx, smsgw24.MessageQuery{CustomerID: 43})
	require.NoError(t, err)
	assert.Empty(t, none)
	n, err := c.CountMessages(ctx, smsgw24.MessageQuery{Status: smsgw24.StatusDelivered})
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)

	devices, err := c.Devices(ctx)
	require.NoError(t, err)
	require.Len(t, devices, 1)
	assert.Equal(t, smsgw24test.DefaultDeviceID, devices[0].ID)
	assert.Equal(t, "+4915700000001", devices[0].SIMs[0].Number)
	ds, err := c.DeviceStatus(ctx, smsgw24test.DefaultDeviceID)
	require.NoError(t, err)
	assert.True(t, ds.Online)

	tag, err := c.SaveTag(ctx, "Customers")
	require.NoError(t, err)
	_, err = c.SaveContact(ctx, smsgw24.Contact{Phone: "+4915752982212", Name: "Anna", TagID: tag})
	require.NoError(t, err)
	_, err = c.SaveNewsletter(ctx, smsgw24.Newsletter{Title: "June", Body: "Sale", DeviceID: smsgw24test.DefaultDeviceID, TagIDs: []int64{tag}})
	require.NoError(t, err)
	require.NoError(t, c.SendTemplate(ctx, smsgw24.TemplateSMS{To: "+4915752982212", SenderID: "Shop", TemplateID: "otp", Data: map[string]string{"code": "1"}}))
	assert.Equal(t, []string{"Customers"}, g.Tags())
	assert.Equal(t, []smsgw24.Contact{{Phone: "+4915752982212", Name: "Anna", TagID: tag}}, g.Contacts())
	assert.Equal(t, []smsgw24.Newsletter{{Title: "June", Body: "Sale", DeviceID: smsgw24test.DefaultDeviceID, TagIDs: []int64{tag}}}, g.Newsletters())
	assert.Equal(t, []smsgw24.TemplateSMS{{To: "+4915752982212", SenderID: "Shop", TemplateID: "otp", Data: map[string]string{"code": "1"}}}, g.Templates())

	token, err := c.GetToken(ctx, "me@example.com", "pw")
	require.NoError(t, err)
	assert.Equal(t, smsgw24test.DefaultGatewayToken, token)
	_, err = c.GetToken(ctx, "me@example.com", "wrong")
	var ae *smsgw24.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "Login or password incorrect", ae.Message)
}

func TestGatewayChecksTheToken(t *testing.T) {
	g := newGateway(t, smsgw24test.GatewayOptions{Token: "right"})
	c := g.Client()
	c.Token = "wrong"
	_, err := c.SendSMS(context.Background(), smsgw24.SMS{To: "+1", Body: "b", DeviceID: smsgw24test.DefaultDeviceID})
	var ae *smsgw24.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, smsgw24.APIError{Method: "addsms", Message: "Token not found", HTTPStatus: 200}, *ae)
	assert.Empty(t, g.Messages())

	_, err = c.SendSMS(context.Background(), smsgw24.SMS{To: "+1", Body: "b", DeviceID: 99})
	require.ErrorAs(t, err, &ae)
	c.Token = "right"
	_, err = c.SendSMS(context.Background(), smsgw24.SMS{To: "+1", Body: "b", DeviceID: 99})
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "device not found", ae.Message)
}

func TestGatewayWireStyles(t *testing.T) {
	tests := []struct {
		wire        smsgw24test.WireStyle
		contentType string
		bodyHas     string
	}{
		{smsgw24test.WireJSON, "application/json", `"channel_id":1`},
		{smsgw24test.WireJSONLegacy, "application/json", `"sim":1`},
		{smsgw24test.WireForm, "application/x-www-form-urlencoded", "sendto=%2B4915752982212"},
		{smsgw24test.WireFormPlusLost, "application/x-www-form-urlencoded", "sendto=+4915752982212"},
	}
	for _, tt := range tests {
		t.Run(tt.wire.String(), func(t *testing.T) {
			rec, hook := receiver(t, nil)
			g := newGateway(t, smsgw24test.GatewayOptions{StatusURL: hook, Wire: tt.wire})
			id, err := g.Client().SendSMS(context.Background(), smsgw24.SMS{To: "+4915752982212", Body: "b",
				DeviceID: smsgw24test.DefaultDeviceID, Channel: smsgw24.ChannelSIM2})
			require.NoError(t, err)
			wait(t, g)
			assert.Equal(t, lifecycleDelivered, statusCodes(rec.Statuses()))
			for _, s := range rec.Statuses() {
				assert.Equal(t, id, s.SMSID)
				assert.Equal(t, "+4915752982212", s.SendTo, "the receiver gives a lost + back")
				assert.Equal(t, smsgw24.ChannelSIM2, s.Channel)
			}
			d := g.Deliveries()[0]
			assert.Equal(t, tt.contentType, d.ContentType)
			assert.Contains(t, string(d.Body), tt.bodyHas)
			w, err := smsgw24test.ParseWireStyle(tt.wire.String())
			require.NoError(t, err)
			assert.Equal(t, tt.wire, w)
		})
	}
	_, err := smsgw24test.ParseWireStyle("xml")
	assert.Error(t, err)
}

func TestGatewayFinalStatuses(t *testing.T) {
	rec, hook := receiver(t, nil)
	g := newGateway(t, smsgw24test.GatewayOptions{StatusURL: hook, Final: smsgw24.StatusNotDelivered,
		FinalFor: map[string]smsgw24.Status{"+2": smsgw24.StatusNoService, "+3": smsgw24.StatusSent}})
	c := g.Client()
	for _, to := range []string{"+1", "+2", "+3"} {
		_, err := c.SendSMS(context.Background(), smsgw24.SMS{To: to, Body: "b", DeviceID: smsgw24test.DefaultDeviceID})
		require.NoError(t, err)
	}
	wait(t, g)
	byTo := map[string][]smsgw24.Status{}
	for _, s := range rec.Statuses() {
		byTo[s.SendTo] = append(byTo[s.SendTo], s.Status)
	}
	assert.Equal(t, map[string][]smsgw24.Status{
		"+1": {smsgw24.StatusQueued, smsgw24.StatusTakenByPhone, smsgw24.StatusSent, smsgw24.StatusNotDelivered},
		"+2": {smsgw24.StatusQueued, smsgw24.StatusTakenByPhone, smsgw24.StatusNoService},
		"+3": {smsgw24.StatusQueued, smsgw24.StatusTakenByPhone, smsgw24.StatusSent},
	}, byTo)
	ms, err := c.Messages(context.Background(), smsgw24.MessageQuery{})
	require.NoError(t, err)
	require.Len(t, ms, 3)
	assert.Equal(t, []smsgw24.Status{smsgw24.StatusNotDelivered, smsgw24.StatusNoService, smsgw24.StatusSent},
		[]smsgw24.Status{ms[0].Status, ms[1].Status, ms[2].Status})
}

func TestGatewayOutOfOrderAndDuplicates(t *testing.T) {
	stored := map[int64]smsgw24.Status{}
	var calls atomic.Int32
	rec, hook := receiver(t, &smsgw24.Handler{
		OnStatus: func(_ context.Context, s *smsgw24.StatusUpdate) error {
			calls.Add(1)
			if s.Status.Supersedes(stored[s.SMSID]) {
				stored[s.SMSID] = s.Status
			}
			return nil
		},
		Deduplicator: &smsgw24.MemoryDeduplicator{},
	})
	g := newGateway(t, smsgw24test.GatewayOptions{StatusURL: hook, OutOfOrder: true, Duplicates: true})
	id, err := g.Client().SendSMS(context.Background(), smsgw24.SMS{To: "+1", Body: "b", DeviceID: smsgw24test.DefaultDeviceID})
	require.NoError(t, err)
	wait(t, g)
	assert.Len(t, g.Deliveries(), 8, "each status posted twice")
	assert.Equal(t, []smsgw24.Status{smsgw24.StatusDelivered, smsgw24.StatusSent, smsgw24.StatusTakenByPhone, smsgw24.StatusQueued},
		statusCodes(rec.Statuses()), "last first, each once past the deduplicator")
	assert.Equal(t, int32(4), calls.Load())
	assert.Equal(t, smsgw24.StatusDelivered, stored[id])
	status, err := g.Client().SMSStatus(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, smsgw24.StatusDelivered, status)
}

func TestGatewayRetriesOnSchedule(t *testing.T) {
	var failing atomic.Int32
	failing.Store(2)
	rec := smsgw24test.NewRecorder(nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing.Add(-1) >= 0 {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		rec.ServeHTTP(w, r)
	}))
	defer srv.Close()
	g := newGateway(t, smsgw24test.GatewayOptions{StatusURL: srv.URL, Final: smsgw24.StatusQueued,
		Retries: []time.Duration{time.Millisecond, 2 * time.Millisecond}})
	_, err := g.Client().SendSMS(context.Background(), smsgw24.SMS{To: "+1", Body: "b", DeviceID: smsgw24test.DefaultDeviceID})
	require.NoError(t, err)
	wait(t, g)
	ds := g.Deliveries()
	require.Len(t, ds, 3)
	assert.Equal(t, []int{1, 2, 3}, []int{ds[0].Attempt, ds[1].Attempt, ds[2].Attempt})
	assert.Equal(t, []int{503, 503, 200}, []int{ds[0].StatusCode, ds[1].StatusCode, ds[2].StatusCode})
	assert.Equal(t, "down", ds[0].Answer)
	assert.Len(t, rec.Statuses(), 1)

	// Retries spent: the post is given up, and Wait still returns.
	failing.Store(10)
	_, err = g.Client().SendSMS(context.Background(), smsgw24.SMS{To: "+1", Body: "b", DeviceID: smsgw24test.DefaultDeviceID})
	require.NoError(t, err)
	wait(t, g)
	assert.Len(t, g.Deliveries(), 6)
	assert.Len(t, rec.Statuses(), 1)
}

func TestGatewayBulkAndIncoming(t *testing.T) {
	rec, hook := receiver(t, nil)
	g := newGateway(t, smsgw24test.GatewayOptions{StatusURL: hook, IncomingURL: hook, Wire: smsgw24test.WireFormPlusLost})
	err := g.Client().SendBulk(context.Background(), []smsgw24.SMS{
		{To: "+1", Body: "one", DeviceID: smsgw24test.DefaultDeviceID, CustomerID: 7},
		{To: "+2", Body: "two", DeviceID: smsgw24test.DefaultDeviceID, CustomerID: 8},
	})
	require.NoError(t, err)
	textID := g.InjectText(smsgw24.TextMessage{Address: "+4915112345678", Body: "Привет + hi"})
	imageID := g.InjectImage(smsgw24.ImageMessage{Address: "+4915112345678", ImageURL: "https://example.com/i.jpg"})
	wait(t, g)

	assert.Len(t, rec.Statuses(), 8)
	ms := g.Messages()
	require.Len(t, ms, 2)
	assert.Equal(t, []int64{7, 8}, []int64{ms[0].CustomerID, ms[1].CustomerID})
	require.Len(t, rec.Texts(), 1)
	text := rec.Texts()[0]
	assert.Equal(t, textID, text.SMSID)
	assert.Equal(t, "+4915112345678", text.Address)
	assert.Equal(t, "Привет + hi", text.Body)
	assert.Equal(t, smsgw24test.DefaultDeviceID, text.DeviceID)
	assert.Equal(t, "Test phone", text.DeviceName)
	require.Len(t, rec.Images(), 1)
	assert.Equal(t, imageID, rec.Images()[0].SMSID)
	assert.Equal(t, "https://example.com/i.jpg", rec.Images()[0].ImageURL)
	assert.Equal(t, smsgw24.ChannelWhatsApp, rec.Images()[0].Channel)
}

func TestGatewaySimulateByHand(t *testing.T) {
	rec, hook := receiver(t, nil)
	g := newGateway(t, smsgw24test.GatewayOptions{IncomingURL: hook})
	post := func(path, body string) string {
		resp, err := http.Post(g.Server.URL+path, "application/x-www-form-urlencoded", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = io.Copy(&b, resp.Body)
		return b.String()
	}
	assert.Regexp(t, `^\{"error":0,"message":"Ok","sms_id":\d+\}\n$`, post("/simulate/text", "token=test-token&address=%2B4915112345678&body=Hi+there"))
	assert.Regexp(t, `"sms_id":\d+`, post("/simulate/image", "token=test-token&address=%2B4915112345678&img_url=https://example.com/i.jpg&channel_id=2"))
	assert.JSONEq(t, `{"error":1,"message":"Token not found"}`, post("/simulate/text", "token=nope&address=x"))
	assert.JSONEq(t, `{"error":1,"message":"address is empty"}`, post("/simulate/text", "token=test-token"))
	assert.JSONEq(t, `{"error":1,"message":"device not found"}`, post("/simulate/text", "token=test-token&address=x&device_id=9"))
	assert.JSONEq(t, `{"error":1,"message":"Method not found"}`, post("/simulate/video", "token=test-token&address=x"))
	wait(t, g)
	require.Len(t, rec.Texts(), 1)
	assert.Equal(t, "Hi there", rec.Texts()[0].Body)
	assert.Equal(t, "+4915112345678", rec.Texts()[0].Address)
	require.Len(t, rec.Images(), 1)
	assert.Equal(t, smsgw24.ChannelWhatsAppBusiness, rec.Images()[0].Channel)
}

func TestGatewayAnswersLikeTheAPI(t *testing.T) {
	g := newGateway(t, smsgw24test.GatewayOptions{})
	post := func(method, body string) string {
		resp, err := http.Post(g.URL+method, "application/x-www-form-urlencoded", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = io.Copy(&b, resp.Body)
		return b.String()
	}
	assert.JSONEq(t, `{"error":0,"smss":[],"count":0,"message":"Ok"}`, post("getallsms", "token=test-token"))
	assert.JSONEq(t, `{"error":1,"message":"Token not found"}`, post("getallsms", "token=nope"))
	assert.JSONEq(t, `{"error":1,"message":"Method not found"}`, post("nosuchmethod", "token=test-token"))
	devices := post("getalldevices", "token=test-token")
	assert.NotContains(t, devices, `"error"`, "getalldevices answers without the envelope")
	assert.Contains(t, devices, `"device":{"1":{`)
	assert.Contains(t, devices, `"timezone_type":3,"timezone":"UTC"`)
	assert.Contains(t, post("addsms", "token=test-token&sendto=%2B1&body=hi&device_id=1"), `"sms_id":`)
	assert.Regexp(t, `"created":\{"date":"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.000000","timezone_type":1,"timezone":"\+02:00"\}`,
		post("getallsms", "token=test-token"))
}
