// request_test.go checks that every request Encode and NewRequest build
// decodes back to the event it was built from, in JSON and as a form, in
// both generations of the gateway's documents, and pins the exact bodies.

package smsgw24test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"
	_ "time/tzdata" // the zones of the tests, wherever they run

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24"
)

// quiet keeps the Handler's warnings about rejected requests, which these
// tests make on purpose, out of the test output.
var quiet = slog.New(slog.DiscardHandler)

// fixtureEvents decodes every fixture: the events a gateway sends, odd
// ones included.
func fixtureEvents(t *testing.T) map[string]smsgw24.Event {
	t.Helper()
	out := map[string]smsgw24.Event{}
	for _, f := range Fixtures() {
		ev, err := smsgw24.Parse(f.ContentType, f.Body)
		require.NoError(t, err, f.Name)
		out[f.Name] = ev
	}
	return out
}

// asForm is ev as it comes back from a form: Extra values are text.
func asForm(t *testing.T, ev smsgw24.Event) smsgw24.Event {
	t.Helper()
	text := func(x smsgw24.Extra) smsgw24.Extra {
		if x == nil {
			return nil
		}
		out := smsgw24.Extra{}
		for k, v := range x {
			var s string
			switch {
			case string(v) == "null":
			case json.Unmarshal(v, &s) == nil:
			default:
				s = string(v)
			}
			out[k], _ = json.Marshal(s)
		}
		return out
	}
	switch e := ev.(type) {
	case *smsgw24.StatusUpdate:
		c := *e
		c.Extra = text(c.Extra)
		return &c
	case *smsgw24.TextMessage:
		c := *e
		c.Extra = text(c.Extra)
		return &c
	case *smsgw24.ImageMessage:
		c := *e
		c.Extra = text(c.Extra)
		return &c
	}
	t.Fatalf("unknown event %T", ev)
	return nil
}

var encodings = []struct {
	name string
	opts RequestOptions
}{
	{"json", RequestOptions{}},
	{"json_legacy", RequestOptions{Legacy: true}},
	{"form", RequestOptions{Form: true}},
	{"form_legacy", RequestOptions{Form: true, Legacy: true}},
	{"form_escaped_plus", RequestOptions{Form: true, EscapePlus: true}},
}

// TestEncodeRoundTrip: the body of every fixture's event, in every
// encoding, decodes to an equal event.
func TestEncodeRoundTrip(t *testing.T) {
	for name, want := range fixtureEvents(t) {
		for _, enc := range encodings {
			t.Run(name+"/"+enc.name, func(t *testing.T) {
				contentType, body := Encode(want, enc.opts)
				got, err := smsgw24.Parse(contentType, body)
				require.NoError(t, err, "%s", body)
				if enc.opts.Form {
					assert.Equal(t, contentTypeForm, contentType)
					assert.Equal(t, asForm(t, want), got, "%s", body)
				} else {
					assert.Equal(t, contentTypeJSON, contentType)
					assert.True(t, json.Valid(body), "%s", body)
					assert.Equal(t, want, got, "%s", body)
				}
			})
		}
	}
}

// TestNewRequestThroughHandler: every fixture's event, in every encoding,
// with the right token, reaches the callback of a Handler that verifies the
// token, equal to what was sent; with a wrong token or none, it does not.
func TestNewRequestThroughHandler(t *testing.T) {
	rec := NewRecorder(&smsgw24.Handler{Verifier: smsgw24.Token("s3cret"), Logger: quiet})
	for name, want := range fixtureEvents(t) {
		for _, enc := range encodings {
			t.Run(name+"/"+enc.name, func(t *testing.T) {
				rec.Reset()
				opts := enc.opts
				opts.Token = "wrong"
				assert.Equal(t, http.StatusForbidden, rec.Serve(NewRequest(want, opts)).Code)
				opts.Token = ""
				assert.Equal(t, http.StatusUnauthorized, rec.Serve(NewRequest(want, opts)).Code)
				assert.Empty(t, rec.Events())

				opts.Token = "s3cret"
				resp := rec.Serve(NewRequest(want, opts))
				require.Equal(t, http.StatusOK, resp.Code, resp.Body.String())
				if enc.opts.Form {
					want = asForm(t, want)
				}
				assert.Equal(t, []smsgw24.Event{want}, rec.Events())
			})
		}
	}
}

// TestEncodeLocation: dates are written in the phone's zone, without one,
// and a Handler with that Location reads them back as the same instants.
func TestEncodeLocation(t *testing.T) {
	sp := time.FixedZone("BRT", -3*3600)
	ev := &smsgw24.TextMessage{SMSID: 1, Address: "+5511987654321", Body: "oi",
		Date: time.Date(2025, 6, 2, 14, 10, 11, 0, time.UTC), DateSent: time.Date(2025, 6, 2, 14, 10, 9, 500_000_000, time.UTC)}
	_, body := Encode(ev, RequestOptions{Location: sp})
	assert.Contains(t, string(body), `"date":"2025-06-02 11:10:11","date_sent":"2025-06-02 11:10:09.5"`)

	rec := NewRecorder(&smsgw24.Handler{Location: sp, Logger: quiet})
	require.Equal(t, http.StatusOK, rec.Serve(NewRequest(ev, RequestOptions{Location: sp, Form: true})).Code)
	assert.Equal(t, []*smsgw24.TextMessage{ev}, rec.Texts())
}

// TestEncodeLocationRepeatedHour: in the hour that the change back from
// summer time repeats, a local time names two instants; each is written
// with its offset and reads back as itself, as JSON and as a form. Other
// times, the skipped hour's neighbours included, are written without a
// zone.
func TestEncodeLocationRepeatedHour(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	newYork, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	utc := func(y int, m time.Month, d, h, min, s int) time.Time {
		return time.Date(y, m, d, h, min, s, 0, time.UTC)
	}
	tests := []struct {
		loc     *time.Location
		instant time.Time
		written string
	}{
		// Berlin goes back from 03:00 CEST to 02:00 CET at 01:00 UTC on 2025-10-26.
		{berlin, utc(2025, 10, 25, 23, 59, 59), "2025-10-26 01:59:59"},
		{berlin, utc(2025, 10, 26, 0, 0, 0), "2025-10-26 02:00:00+02:00"},
		{berlin, utc(2025, 10, 26, 0, 30, 0), "2025-10-26 02:30:00+02:00"},
		{berlin, utc(2025, 10, 26, 0, 59, 59), "2025-10-26 02:59:59+02:00"},
		{berlin, utc(2025, 10, 26, 1, 0, 0), "2025-10-26 02:00:00+01:00"},
		{berlin, utc(2025, 10, 26, 1, 30, 0), "2025-10-26 02:30:00+01:00"},
		{berlin, utc(2025, 10, 26, 1, 59, 59), "2025-10-26 02:59:59+01:00"},
		{berlin, utc(2025, 10, 26, 2, 0, 0), "2025-10-26 03:00:00"},
		// Forward on 2025-03-30 at 01:00 UTC: 02:00-03:00 never happens, nothing repeats.
		{berlin, utc(2025, 3, 30, 0, 59, 59), "2025-03-30 01:59:59"},
		{berlin, utc(2025, 3, 30, 1, 0, 0), "2025-03-30 03:00:00"},
		{berlin, utc(2025, 6, 2, 12, 10, 11), "2025-06-02 14:10:11"},
		// New York goes back from 02:00 EDT to 01:00 EST at 06:00 UTC on 2025-11-02.
		{newYork, utc(2025, 11, 2, 5, 15, 0), "2025-11-02 01:15:00-04:00"},
		{newYork, utc(2025, 11, 2, 6, 15, 0), "2025-11-02 01:15:00-05:00"},
		{newYork, utc(2025, 11, 2, 7, 15, 0), "2025-11-02 02:15:00"},
	}
	for _, tt := range tests {
		t.Run(tt.loc.String()+" "+tt.instant.Format(time.RFC3339), func(t *testing.T) {
			ev := &smsgw24.TextMessage{SMSID: 1, Address: "+4915112345678", Body: "Hallo", Date: tt.instant, DateSent: tt.instant.Add(-time.Second)}
			for _, form := range []bool{false, true} {
				opts := RequestOptions{Location: tt.loc, Form: form}
				contentType, body := Encode(ev, opts)
				if !form {
					assert.Contains(t, string(body), `"date":"`+tt.written+`"`)
				}
				got, err := (&smsgw24.Decoder{Location: tt.loc}).Parse(contentType, body)
				require.NoError(t, err, string(body))
				assert.Equal(t, ev, got, "form %v: %s", form, body)

				rec := NewRecorder(&smsgw24.Handler{Location: tt.loc, Logger: quiet})
				require.Equal(t, http.StatusOK, rec.Serve(NewRequest(ev, opts)).Code)
				assert.Equal(t, []*smsgw24.TextMessage{ev}, rec.Texts())
			}
		})
	}
}

func TestEncodeBodies(t *testing.T) {
	status := &smsgw24.StatusUpdate{SMSID: 3281467, Status: smsgw24.StatusDelivered, StatusMessage: "SMS has been Delivered",
		SendTo: "+4915112345678", SentTime: time.Date(2024, 3, 18, 9, 41, 27, 0, time.UTC), Channel: smsgw24.ChannelSIM2, DeviceID: 12345}
	text := &smsgw24.TextMessage{SMSID: 9911204, Address: "+79001234567", Body: "Привет & 1+1",
		Date: time.Date(2025, 6, 2, 14, 11, 0, 0, time.UTC), Channel: smsgw24.ChannelSIM2, DeviceID: 12345, DeviceName: "Redmi Note",
		Extra: smsgw24.Extra{"subscription_id": json.RawMessage(`2`)}}
	image := &smsgw24.ImageMessage{SMSID: 9911223, Address: "+5511987654321", ImageURL: "https://example.com/i.jpg?a=1&b=2",
		Channel: smsgw24.ChannelWhatsApp}
	// The older generation's status update comes out as the gateway writes
	// it: byte for byte the bodies of these two fixtures.
	v1JSON, ok := LookupFixture("status_v1_json")
	require.True(t, ok)
	v1Form, ok := LookupFixture("status_v1_form")
	require.True(t, ok)
	tests := []struct {
		ev   smsgw24.Event
		opts RequestOptions
		want string
	}{
		{status, RequestOptions{},
			`{"sms_id":3281467,"status_id":7,"status_message":"SMS has been Delivered","sendto":"+4915112345678","senttime":"2024-03-18 09:41:27","channel_id":1,"device_id":12345}`},
		{status, RequestOptions{Legacy: true}, string(v1JSON.Body)},
		{status, RequestOptions{Form: true},
			`sms_id=3281467&status_id=7&status_message=SMS+has+been+Delivered&sendto=+4915112345678&senttime=2024-03-18+09%3A41%3A27&channel_id=1&device_id=12345`},
		{status, RequestOptions{Form: true, EscapePlus: true, Legacy: true}, string(v1Form.Body)},
		{text, RequestOptions{},
			`{"sms_id":9911204,"type":"text","address":"+79001234567","body":"Привет & 1+1","date":"2025-06-02 14:11:00","date_sent":null,"internal_id":0,"channel_id":1,"device_id":12345,"device_name":"Redmi Note","subscription_id":2}`},
		{text, RequestOptions{Legacy: true, Form: true},
			`sms_id=9911204&address=+79001234567&body=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82+%26+1%2B1&date=2025-06-02+14%3A11%3A00&date_sent=&internal_id=0&sim=1&device_id=12345&device_name=Redmi+Note&subscription_id=2`},
		{image, RequestOptions{Legacy: true},
			`{"sms_id":9911223,"type":"img","address":"+5511987654321","body":"","date":null,"date_sent":null,"img_url":"https://example.com/i.jpg?a=1&b=2","internal_id":0,"sim":3,"device_id":0,"device_name":""}`},
	}
	for _, tt := range tests {
		_, body := Encode(tt.ev, tt.opts)
		assert.Equal(t, tt.want, string(body), "%+v", tt.opts)
	}
}

// TestEncodeOddEvents: events that do not validate are written all the
// same, and the Handler answers them as it should.
func TestEncodeOddEvents(t *testing.T) {
	rec := NewRecorder(&smsgw24.Handler{Logger: quiet})
	assert.Equal(t, http.StatusUnprocessableEntity, rec.Serve(NewRequest(&smsgw24.TextMessage{Body: "no id"}, RequestOptions{})).Code)
	assert.Equal(t, http.StatusUnprocessableEntity, rec.Serve(NewRequest(&smsgw24.StatusUpdate{SMSID: 1}, RequestOptions{Form: true})).Code)
	assert.Empty(t, rec.Events())
	assert.Panics(t, func() { Encode(nil, RequestOptions{}) })

	// A channel_id that could not be read stays channel_id in Legacy.
	odd := &smsgw24.TextMessage{SMSID: 5, Extra: smsgw24.Extra{"channel_id": json.RawMessage(`"x"`), "type": json.RawMessage(`"video"`)}}
	for _, enc := range encodings {
		contentType, body := Encode(odd, enc.opts)
		got, err := smsgw24.Parse(contentType, body)
		require.NoError(t, err)
		assert.Equal(t, odd, got, "%s: %s", enc.name, body)
	}
}

func TestNewRequestTarget(t *testing.T) {
	ev := &smsgw24.StatusUpdate{SMSID: 1, Status: smsgw24.StatusSent}
	tests := []struct {
		opts RequestOptions
		want string
	}{
		{RequestOptions{}, "http://example.com/"},
		{RequestOptions{Token: "a b&c"}, "http://example.com/?token=a+b%26c"},
		{RequestOptions{URL: "/hooks/sms?token=old&x=1", Token: "new"}, "http://example.com/hooks/sms?token=new&x=1"},
		{RequestOptions{URL: "https://api.example.org/smsgw24"}, "https://api.example.org/smsgw24"},
	}
	for _, tt := range tests {
		r := NewRequest(ev, tt.opts)
		assert.Equal(t, http.MethodPost, r.Method)
		assert.Equal(t, tt.want, (&url.URL{Scheme: schemeOf(r), Host: r.Host, Path: r.URL.Path, RawQuery: r.URL.RawQuery}).String())
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		body, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		assert.Equal(t, int64(len(body)), r.ContentLength)
	}
	assert.Panics(t, func() { NewRequest(ev, RequestOptions{URL: "http://[::1", Token: "x"}) })
}

func schemeOf(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

func TestNewFixtureRequest(t *testing.T) {
	for _, f := range Fixtures() {
		r := NewFixtureRequest(f.Name, RequestOptions{URL: "/in", Token: "t", Form: true, Legacy: true})
		assert.Equal(t, f.ContentType, r.Header.Get("Content-Type"), f.Name)
		assert.Equal(t, "t", r.URL.Query().Get("token"))
		assert.Equal(t, "/in", r.URL.Path)
		body, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		assert.Equal(t, f.Body, body, "%s is sent as it is", f.Name)
	}
	_, hasContentType := NewFixtureRequest("status_json_no_content_type", RequestOptions{}).Header["Content-Type"]
	assert.False(t, hasContentType)
	assert.PanicsWithValue(t, `smsgw24test: no fixture named "nope"`, func() { NewFixtureRequest("nope", RequestOptions{}) })
}
