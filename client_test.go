// client_test.go runs every method of Client against a local server that
// answers with the API's answers from testdata/api/, and checks what the
// client sent and what it made of each answer.

package smsgw24_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24"
)

const apiToken = "tok+en/with&odd=chars"

// sent is one request the fake API received.
type sent struct {
	method      string // the API method: the last element of the path
	httpMethod  string
	contentType string
	body        string
	form        url.Values // the form of the body, for a form request
}

// fakeAPI answers every request with files from testdata/api/, one per
// request in turn (the last one repeats), and keeps what it received.
type fakeAPI struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	got    []sent
	status []int    // the HTTP status of each answer; 200 when absent
	files  []string // the answer of each request
}

func newFakeAPI(t *testing.T, files ...string) *fakeAPI {
	f := &fakeAPI{t: t, files: files}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s := sent{method: r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], httpMethod: r.Method,
		contentType: r.Header.Get("Content-Type"), body: string(body)}
	if s.contentType == "application/x-www-form-urlencoded" {
		form, err := url.ParseQuery(string(body))
		assert.NoError(f.t, err)
		s.form = form
	}
	f.mu.Lock()
	n := len(f.got)
	f.got = append(f.got, s)
	f.mu.Unlock()
	status := http.StatusOK
	if n < len(f.status) {
		status = f.status[n]
	}
	file := f.files[min(n, len(f.files)-1)]
	if strings.HasSuffix(file, ".html") {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write(answerFile(f.t, file))
}

func (f *fakeAPI) requests() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.got...)
}

func (f *fakeAPI) client() *smsgw24.Client {
	return &smsgw24.Client{Token: apiToken, BaseURL: f.srv.URL + "/getdata/", Backoff: func(int) time.Duration { return time.Millisecond }}
}

func answerFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "api", name))
	require.NoError(t, err)
	return data
}

var (
	plus2 = time.FixedZone("", 2*3600)
	ctx   = context.Background()
)

func TestClientMethods(t *testing.T) {
	sim2 := smsgw24.ChannelSIM2
	tests := []struct {
		name     string
		answer   string
		call     func(*smsgw24.Client) (any, error)
		method   string
		wantForm url.Values // the exact form sent, token included
		want     any
	}{
		{
			name:   "SendSMS with only what addsms requires",
			answer: "addsms.json",
			call: func(c *smsgw24.Client) (any, error) {
				return c.SendSMS(ctx, smsgw24.SMS{To: "+4915752982212", Body: "Hi + bye & more", DeviceID: 260})
			},
			method:   "addsms",
			wantForm: url.Values{"token": {apiToken}, "sendto": {"+4915752982212"}, "body": {"Hi + bye & more"}, "device_id": {"260"}, "sim": {"0"}},
			want:     int64(22074938),
		},
		{
			name:   "SendSMS with every option",
			answer: "addsms.json",
			call: func(c *smsgw24.Client) (any, error) {
				return c.SendSMS(ctx, smsgw24.SMS{To: "+49 157 52982212,+4915112345678", Body: "Code 1234", DeviceID: 260,
					Channel: smsgw24.ChannelWhatsApp, SendAt: time.Date(2021, 8, 1, 14, 0, 5, 0, plus2), CustomerID: 19921, Urgent: true})
			},
			method: "addsms",
			wantForm: url.Values{"token": {apiToken}, "sendto": {"+49 157 52982212,+4915112345678"}, "body": {"Code 1234"},
				"device_id": {"260"}, "sim": {"3"}, "timetosend": {"2021-08-01 12:00:05"}, "customerid": {"19921"}, "urgent": {"1"}},
			want: int64(22074938),
		},
		{
			name:     "SMSStatus",
			answer:   "getsmsstatus.json",
			call:     func(c *smsgw24.Client) (any, error) { return c.SMSStatus(ctx, 22074698) },
			method:   "getsmsstatus",
			wantForm: url.Values{"token": {apiToken}, "sms_id": {"22074698"}},
			want:     smsgw24.StatusPending,
		},
		{
			name:     "Messages, the verbatim answer",
			answer:   "getallsms.json",
			call:     func(c *smsgw24.Client) (any, error) { return c.Messages(ctx, smsgw24.MessageQuery{}) },
			method:   "getallsms",
			wantForm: url.Values{"token": {apiToken}},
			want: []smsgw24.Message{{ID: 22074698, To: "+4915752982212", Body: "Test message from API", Status: smsgw24.StatusPending,
				StatusText: "New", DeviceID: 260, Created: time.Date(2021, 7, 11, 10, 59, 26, 0, time.UTC),
				SendAt: time.Date(2021, 7, 11, 10, 59, 26, 0, time.UTC), Channel: smsgw24.ChannelSIM1}},
		},
		{
			name:   "Messages with every filter, odd shapes, ordered by id",
			answer: "getallsms_odd_shapes.json",
			call: func(c *smsgw24.Client) (any, error) {
				return c.Messages(ctx, smsgw24.MessageQuery{DeviceID: 260, Status: smsgw24.StatusDelivered,
					Since: time.Date(2021, 7, 1, 2, 0, 0, 0, plus2), Until: time.Date(2021, 7, 31, 23, 59, 59, 0, time.UTC),
					CustomerID: 19921, Phone: "+4915752982213", Channel: &sim2, TimeZone: "Australia/Sydney"})
			},
			method: "getallsms",
			wantForm: url.Values{"token": {apiToken}, "device_id": {"260"}, "status": {"7"}, "begindate": {"2021-07-01 00:00:00"},
				"enddate": {"2021-07-31 23:59:59"}, "customerid": {"19921"}, "phone": {"+4915752982213"}, "sim": {"1"},
				"timezone": {"Australia/Sydney"}},
			want: []smsgw24.Message{
				{ID: 22074698, To: "+4915752982212", Body: "first", Status: smsgw24.StatusPending, StatusText: "New", DeviceID: 260,
					Urgent: true, Created: time.Date(2021, 7, 11, 10, 59, 26, 0, time.UTC), Channel: smsgw24.ChannelSIM1},
				{ID: 22074700, To: "+4915752982213", Body: "second", CustomerID: 19921, Status: smsgw24.StatusDelivered,
					StatusText: "Delivered", DeviceID: 260, Urgent: true, Created: time.Date(2021, 7, 11, 11, 0, 0, 0, time.UTC),
					SentTime: time.Date(2021, 7, 11, 11, 0, 5, 0, time.UTC), SendAt: time.Date(2021, 7, 11, 11, 0, 0, 0, time.UTC),
					Channel: smsgw24.ChannelSIM2},
			},
		},
		{
			name:   "Messages newest first",
			answer: "getallsms_odd_shapes.json",
			call: func(c *smsgw24.Client) (any, error) {
				ms, err := c.Messages(ctx, smsgw24.MessageQuery{Descending: true})
				ids := []int64{}
				for _, m := range ms {
					ids = append(ids, m.ID)
				}
				return ids, err
			},
			method:   "getallsms",
			wantForm: url.Values{"token": {apiToken}, "orderbydesc": {"1"}},
			want:     []int64{22074700, 22074698},
		},
		{
			name:     "Messages, none: PHP's empty array",
			answer:   "getallsms_empty.json",
			call:     func(c *smsgw24.Client) (any, error) { return c.Messages(ctx, smsgw24.MessageQuery{}) },
			method:   "getallsms",
			wantForm: url.Values{"token": {apiToken}},
			want:     []smsgw24.Message{},
		},
		{
			name:   "CountMessages",
			answer: "getallsms.json",
			call: func(c *smsgw24.Client) (any, error) {
				return c.CountMessages(ctx, smsgw24.MessageQuery{Phone: "+4915752982212"})
			},
			method:   "getallsms",
			wantForm: url.Values{"token": {apiToken}, "phone": {"+4915752982212"}, "onlycount": {"1"}},
			want:     int64(6),
		},
		{
			name:     "Devices, the verbatim answer",
			answer:   "getalldevices.json",
			call:     func(c *smsgw24.Client) (any, error) { return c.Devices(ctx) },
			method:   "getalldevices",
			wantForm: url.Values{"token": {apiToken}},
			want: []smsgw24.Device{{ID: 1297, Title: "Android_SDK_built_for_x86", Created: time.Date(2020, 1, 20, 14, 1, 5, 0, time.UTC),
				LastSeen: time.Date(2020, 4, 20, 20, 51, 34, 0, time.UTC), AppVersion: "12.1.21",
				SIMs: []smsgw24.SIMCard{{Slot: 0, Number: "+4915752982212", Carrier: "Drillisch (o2)", CountryISO: "de", ICCID: "8949226172233934327", Roaming: true}}}},
		},
		{
			name:     "Devices, two, ordered by id, a SIM number without its +",
			answer:   "getalldevices_two.json",
			call:     func(c *smsgw24.Client) (any, error) { return c.Devices(ctx) },
			method:   "getalldevices",
			wantForm: url.Values{"token": {apiToken}},
			want: []smsgw24.Device{
				{ID: 260, Title: "SM-F NIK!", Number: "+4915555215554", IMEI: "358240051111110", Created: time.Date(2020, 1, 18, 8, 0, 0, 0, time.UTC),
					AppVersion: "12.1.21", Subscribed: true, SIMs: []smsgw24.SIMCard{{Slot: 1, Number: "+15555215554", Carrier: "Android", CountryISO: "us", ICCID: "8901260"}}},
				{ID: 1297, Title: "Android_SDK_built_for_x86", Created: time.Date(2020, 1, 20, 14, 1, 5, 0, time.UTC),
					LastSeen: time.Date(2020, 4, 20, 20, 51, 34, 0, time.UTC), AppVersion: "12.1.21"},
			},
		},
		{
			name:     "Devices, none",
			answer:   "getalldevices_empty.json",
			call:     func(c *smsgw24.Client) (any, error) { return c.Devices(ctx) },
			method:   "getalldevices",
			wantForm: url.Values{"token": {apiToken}},
			want:     []smsgw24.Device{},
		},
		{
			name:     "DeviceStatus",
			answer:   "getdevicestatus.json",
			call:     func(c *smsgw24.Client) (any, error) { return c.DeviceStatus(ctx, 260) },
			method:   "getdevicestatus",
			wantForm: url.Values{"token": {apiToken}, "device_id": {"260"}},
			want:     &smsgw24.DeviceStatus{DeviceID: 260, Title: "SM-F NIK!", LastSeen: time.Date(2020, 8, 11, 14, 9, 53, 0, time.UTC)},
		},
		{
			name:     "GetToken",
			answer:   "gettoken.json",
			call:     func(c *smsgw24.Client) (any, error) { return c.GetToken(ctx, "me@example.com", "pa+ss word") },
			method:   "gettoken",
			wantForm: url.Values{"email": {"me@example.com"}, "pass": {"pa+ss word"}},
			want:     "abbde3e31e9d026c02f41119fc551111e",
		},
		{
			name:     "SaveTag",
			answer:   "savetag.json",
			call:     func(c *smsgw24.Client) (any, error) { return c.SaveTag(ctx, "Customers") },
			method:   "savetag",
			wantForm: url.Values{"token": {apiToken}, "title": {"Customers"}},
			want:     int64(1009),
		},
		{
			name:   "SaveContact",
			answer: "savecontact.json",
			call: func(c *smsgw24.Client) (any, error) {
				return c.SaveContact(ctx, smsgw24.Contact{Phone: "+4915752982212", Name: "Anna", TagID: 1009})
			},
			method:   "savecontact",
			wantForm: url.Values{"token": {apiToken}, "phone": {"+4915752982212"}, "fullname": {"Anna"}, "tag_id": {"1009"}},
			want:     int64(566706),
		},
		{
			name:   "SaveNewsletter",
			answer: "savepaket.json",
			call: func(c *smsgw24.Client) (any, error) {
				return c.SaveNewsletter(ctx, smsgw24.Newsletter{Title: "June", Body: "Sale", DeviceID: 260, TagIDs: []int64{1009, 1010}, Channel: smsgw24.ChannelSIM2})
			},
			method:   "savepaket",
			wantForm: url.Values{"token": {apiToken}, "title": {"June"}, "body": {"Sale"}, "device_id": {"260"}, "tags": {"1009,1010"}, "sim": {"1"}},
			want:     int64(3071),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.answer)
			got, err := tt.call(api.client())
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			reqs := api.requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.method, reqs[0].method)
			assert.Equal(t, http.MethodPost, reqs[0].httpMethod)
			assert.Equal(t, "application/x-www-form-urlencoded", reqs[0].contentType)
			assert.Equal(t, tt.wantForm, reqs[0].form)
			assert.NotContains(t, reqs[0].body, "+", "a + is always escaped")
		})
	}
}

func TestClientTimesAreUTC(t *testing.T) {
	api := newFakeAPI(t, "getallsms_odd_shapes.json")
	ms, err := api.client().Messages(ctx, smsgw24.MessageQuery{})
	require.NoError(t, err)
	for _, m := range ms {
		for _, tm := range []time.Time{m.Created, m.SentTime, m.SendAt} {
			assert.Equal(t, time.UTC, tm.Location())
		}
	}
}

func TestSendBulk(t *testing.T) {
	api := newFakeAPI(t, "addalotofsms.json")
	err := api.client().SendBulk(ctx, []smsgw24.SMS{
		{To: "+4915752982212", Body: "one", DeviceID: 260},
		{To: "+4915752982213", Body: "two", DeviceID: 261, Channel: smsgw24.ChannelSIM2,
			SendAt: time.Date(2021, 8, 1, 12, 0, 0, 0, time.UTC), CustomerID: 7, Urgent: true},
	})
	require.NoError(t, err)
	reqs := api.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "addalotofsms", reqs[0].method)
	require.Equal(t, []string{"datajson"}, keys(reqs[0].form))
	assert.JSONEq(t, `{"token":"tok+en/with&odd=chars","smsdata":[
		{"sendto":"+4915752982212","body":"one","device_id":260,"sim":0},
		{"sendto":"+4915752982213","body":"two","device_id":261,"sim":1,"timetosend":"2021-08-01 12:00:00","customerid":7,"urgent":1}]}`,
		reqs[0].form.Get("datajson"))
	assert.NotContains(t, reqs[0].body, "+")
}

func TestSendTemplate(t *testing.T) {
	api := newFakeAPI(t, "addalotofsms.json")
	err := api.client().SendTemplate(ctx, smsgw24.TemplateSMS{To: "+4915752982212", SenderID: "Shop", TemplateID: "otp",
		Data: map[string]string{"code": "1234"}, CallbackURL: "https://example.com/hook"})
	require.NoError(t, err)
	reqs := api.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "addsmstosenderid", reqs[0].method)
	assert.Equal(t, "application/json", reqs[0].contentType)
	assert.JSONEq(t, `{"token":"tok+en/with&odd=chars","send_to":"+4915752982212","sender_id":"Shop","template_id":"otp",
		"template_data":{"code":"1234"},"webhook_callback_url":"https://example.com/hook"}`, reqs[0].body)

	require.NoError(t, api.client().SendTemplate(ctx, smsgw24.TemplateSMS{To: "+1", SenderID: "Shop", TemplateID: "otp"}))
	assert.JSONEq(t, `{"token":"tok+en/with&odd=chars","send_to":"+1","sender_id":"Shop","template_id":"otp"}`, api.requests()[1].body)
}

func keys(v url.Values) []string {
	var out []string
	for k := range v {
		out = append(out, k)
	}
	return out
}
