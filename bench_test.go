// bench_test.go measures the hot paths against what users would write by
// hand, in the same run: Parse against json.Unmarshal into a plain struct,
// and Handler.ServeHTTP against hand-written receivers.
// Run: go test -run '^$' -bench . -benchmem

package smsgw24

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-playground/validator/v10"
)

// plainWebhook is the struct a user would decode a webhook into by hand:
// every field of every variant, numbers as numbers, dates left as text,
// and sms_id required for those who validate it.
type plainWebhook struct {
	SMSID         int64  `json:"sms_id" validate:"required"`
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
// numbers, one per kind of event, and a text in Cyrillic.
var benchFixtures = []string{"status_v2_json.txt", "text_v2_json.txt", "image_v2_json.txt", "text_v2_json_cyrillic.txt"}

func BenchmarkParse(b *testing.B) {
	for _, name := range benchFixtures {
		contentType, body := webhookFixture(b, name)
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
	contentType, body := webhookFixture(b, "text_v2_form.txt")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Parse(contentType, body); err != nil {
			b.Fatal(err)
		}
	}
}

// reusableBody is a request body that can be read again, so that one
// request serves every iteration and its construction is not measured.
type reusableBody struct {
	bytes.Reader
	data []byte
}

func (b *reusableBody) Close() error { return nil }
func (b *reusableBody) reset()       { b.Reset(b.data) }

// benchWriter is a ResponseWriter that keeps nothing but the status code,
// reused by every iteration of every receiver alike.
type benchWriter struct {
	header http.Header
	code   int
}

func (w *benchWriter) Header() http.Header         { return w.header }
func (w *benchWriter) WriteHeader(code int)        { w.code = code }
func (w *benchWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *benchWriter) reset() {
	clear(w.header)
	w.code = http.StatusOK
}

// BenchmarkHandler serves the same requests, token in the query, with
// Handler and with what a user would write instead:
//
//   - hand-written: json.NewDecoder(r.Body).Decode into a plain struct,
//     then validator's Struct, then 200;
//   - ReadAll+Unmarshal: io.ReadAll, json.Unmarshal into a plain struct;
//   - ReadAll: the floor, a receiver that only reads the body.
//
// None of the others checks the token or tells the event's kind apart.
func BenchmarkHandler(b *testing.B) {
	const token = "bench-token-0123456789"
	ours := &Handler{
		OnStatus: func(context.Context, *StatusUpdate) error { return nil },
		OnText:   func(context.Context, *TextMessage) error { return nil },
		OnImage:  func(context.Context, *ImageMessage) error { return nil },
		Verifier: Token(token),
	}
	validate := validator.New()
	handWritten := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v plainWebhook
		if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := validate.Struct(&v); err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	readAllUnmarshal := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var v plainWebhook
		if err := json.Unmarshal(body, &v); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	readAll := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	receivers := []struct {
		name string
		h    http.Handler
	}{
		{"smsgw24.Handler", ours},
		{"hand-written", handWritten},
		{"ReadAll+Unmarshal", readAllUnmarshal},
		{"ReadAll", readAll},
	}
	for _, name := range benchFixtures {
		contentType, data := webhookFixture(b, name)
		for _, recv := range receivers {
			b.Run(name+"/"+recv.name, func(b *testing.B) {
				body := &reusableBody{data: data}
				r := httptest.NewRequest(http.MethodPost, "/smsgw24?token="+token, body)
				r.Header.Set("Content-Type", contentType)
				w := &benchWriter{header: http.Header{}}
				b.ReportAllocs()
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					body.reset()
					w.reset()
					recv.h.ServeHTTP(w, r)
					if w.code != http.StatusOK {
						b.Fatalf("answered %d", w.code)
					}
				}
			})
		}
	}
}
