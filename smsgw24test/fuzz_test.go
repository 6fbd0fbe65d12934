// fuzz_test.go fuzzes Encode: once an event has been through Parse, every
// encoding of it decodes back to the same event, its dates written in a
// phone's zone too.

package smsgw24test

import (
	"testing"
	"time"

	"github.com/go-smsgw24/smsgw24"
)

func FuzzEncodeRoundTrip(f *testing.F) {
	f.Add(int64(9911204), "+79001234567", "Привет", int64(1748873460), 1, "Redmi Note", "text", int64(7))
	f.Add(int64(3281467), "+4915112345678", "SMS has been Delivered", int64(1710754887), 2, "", "status", int64(4))
	f.Add(int64(9911223), " 5511987654321", "", int64(0), 3, "", "image", int64(0))
	f.Add(int64(1), "MTN", "a=b&c+d%20", int64(-1), -1, "x\x00y", "text", int64(0))
	// Instants in the hour repeated when clocks go back, in the zones below.
	f.Add(int64(2), "+4915112345678", "", int64(1761438600), 0, "", "text", int64(0))
	f.Add(int64(3), "+4915112345678", "", int64(1761442200), 0, "", "status", int64(6))
	f.Add(int64(4), "+12125550123", "", int64(1762060500), 0, "", "image", int64(0))
	f.Add(int64(5), "+61255501234", "", int64(1743866100), 0, "", "text", int64(0))
	var zones []*time.Location
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			f.Fatal(err)
		}
		zones = append(zones, loc)
	}
	f.Fuzz(func(t *testing.T, id int64, address, body string, unix int64, channel int, device, kind string, status int64) {
		if id <= 0 {
			return
		}
		date := time.Time{}
		if unix > 0 && unix < 253402300800 {
			date = time.Unix(unix, int64(uint64(unix)%1e9)).UTC()
		}
		var ev smsgw24.Event
		switch kind {
		case "status":
			ev = &smsgw24.StatusUpdate{SMSID: id, Status: smsgw24.Status(status%1000 + 1), StatusMessage: body, SendTo: address,
				SentTime: date, Channel: smsgw24.Channel(channel), DeviceID: status}
		case "image":
			ev = &smsgw24.ImageMessage{SMSID: id, Address: address, Body: body, Date: date, ImageURL: "https://x/" + device,
				Channel: smsgw24.Channel(channel), DeviceName: device}
		default:
			ev = &smsgw24.TextMessage{SMSID: id, Address: address, Body: body, Date: date, DateSent: date,
				Channel: smsgw24.Channel(channel), DeviceName: device, InternalID: status}
		}
		// What Parse makes of the event once is what it keeps making of it.
		contentType, data := Encode(ev, RequestOptions{})
		first, err := smsgw24.Parse(contentType, data)
		if err != nil {
			return // such as a status code out of range: nothing to keep
		}
		for _, enc := range encodings {
			contentType, data := Encode(first, enc.opts)
			got, err := smsgw24.Parse(contentType, data)
			if err != nil {
				t.Fatalf("%s: %v\n%s", enc.name, err, data)
			}
			want := first
			if enc.opts.Form {
				want = asForm(t, first)
			}
			if !equalEvents(want, got) {
				t.Fatalf("%s: %#v\nbecame %#v\n%s", enc.name, want, got, data)
			}
		}
		for _, loc := range zones {
			contentType, data := Encode(first, RequestOptions{Location: loc})
			got, err := (&smsgw24.Decoder{Location: loc}).Parse(contentType, data)
			if err != nil {
				t.Fatalf("in %s: %v\n%s", loc, err, data)
			}
			if !equalEvents(first, got) {
				t.Fatalf("in %s: %#v\nbecame %#v\n%s", loc, first, got, data)
			}
		}
	})
}

func equalEvents(a, b smsgw24.Event) bool {
	x, _ := a.MarshalJSON()
	y, _ := b.MarshalJSON()
	return string(x) == string(y)
}
