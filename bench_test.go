// bench_test.go measures the hot paths against what users would write by
// hand, in the same run: Parse against json.Unmarshal into a plain struct.
// Run: go test -run '^$' -bench . -benchmem

package smsgw24

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// plainWebhook is the struct a user would decode a webhook into by hand:
// every field of every variant, numbers as numbers, dates left as text.
type plainWebhook struct {
	SMSID         int64  `json:"sms_id"`
	StatusID      int    `json:"status_id"`
	StatusMessage string `json:"status_message"`
	SendTo        string `json:"sendto"`
	SentTime      string `json:"senttime"`
	Address       string `json:"address"`
	Date          string `json:"date"`
	DateSent      string `json:"date_sent"`
	Body          string `json:"body"`
	InternalID    *int64 `json:"internal_id"`
	ChannelID     int    `json:"channel_id"`
	SIM           int    `json:"sim"`
	DeviceID      int64  `json:"device_id"`
	DeviceName    string `json:"device_name"`
	Type          string `json:"type"`
	ImageURL      string `json:"img_url"`
}

// benchFixtures are the bodies both sides can read: JSON with numbers as
// numbers, one per variant.
var benchFixtures = []string{"status_v2_json.txt", "text_v2_json.txt", "image_v2_json.txt"}

func BenchmarkParse(b *testing.B) {
	for _, name := range benchFixtures {
		contentType, body := readFixture(b, filepath.Join("testdata", name))
		b.Run(name+"/smsgw24.Parse", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := Parse(contentType, body); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/json.Unmarshal", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				var v plainWebhook
				if err := json.Unmarshal(body, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseForm measures the form path, which has no plain
// alternative in encoding/json.
func BenchmarkParseForm(b *testing.B) {
	contentType, body := readFixture(b, filepath.Join("testdata", "text_v2_form.txt"))
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Parse(contentType, body); err != nil {
			b.Fatal(err)
		}
	}
}
