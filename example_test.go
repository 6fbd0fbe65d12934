// example_test.go holds the runnable examples of decoding, statuses and the
// Handler; those of the verifiers are in verify_example_test.go.

package smsgw24_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/go-smsgw24/smsgw24"
)

// Parse reads one body, JSON or form, and returns the event it holds.
func ExampleParse() {
	body := []byte(`address=+79001234567&body=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82&sms_id=9911204` +
		`&date=2025-06-02+14%3A11%3A00&channel_id=3&type=text`)
	ev, err := smsgw24.Parse("application/x-www-form-urlencoded", body)
	if err != nil {
		fmt.Println(err)
		return
	}
	switch e := ev.(type) {
	case *smsgw24.TextMessage:
		fmt.Println(e.SMSID, e.Channel, e.Address, e.Body, e.Date.Format(time.RFC3339))
	case *smsgw24.StatusUpdate:
		fmt.Println(e.SMSID, e.Status)
	case *smsgw24.ImageMessage:
		fmt.Println(e.SMSID, e.ImageURL)
	}
	// Output:
	// 9911204 whatsapp +79001234567 Привет 2025-06-02T14:11:00Z
}

// Errors name what is wrong; errors.Is tells the kinds apart.
func ExampleParse_errors() {
	_, err := smsgw24.Parse("application/json", []byte(`{"status_id":7,"sendto":"+4915112345678"}`))
	fmt.Println(err)
	fmt.Println(errors.Is(err, smsgw24.ErrMissingField))

	_, err = smsgw24.Parse("application/json", []byte(`{"sms_id":1,`))
	fmt.Println(errors.Is(err, smsgw24.ErrMalformedBody))
	// Output:
	// smsgw24: missing field: sms_id is absent
	// true
	// true
}

// A field that is merely odd does not fail the body: it is kept in Extra.
func ExampleParse_extra() {
	ev, _ := smsgw24.Parse("application/json", []byte(`{"sms_id":5,"date":"yesterday","priority":"high"}`))
	msg := ev.(*smsgw24.TextMessage)
	fmt.Println(msg.Date.IsZero(), string(msg.Extra["date"]), string(msg.Extra["priority"]))
	// Output:
	// true "yesterday" "high"
}

// A Decoder with a Location reads dates without a zone in that location.
func ExampleDecoder() {
	d := smsgw24.Decoder{Location: time.FixedZone("MSK", 3*60*60)}
	ev, _ := d.Parse("application/json", []byte(`{"sms_id":1,"status_id":7,"senttime":"2025-06-02 14:00:00"}`))
	fmt.Println(ev.(*smsgw24.StatusUpdate).SentTime)
	// Output:
	// 2025-06-02 11:00:00 +0000 UTC
}

func ExampleStatus_Message() {
	for _, tag := range []string{"en", "de-AT", "ru", "pt-BR", "es-419", "fr"} {
		fmt.Printf("%s: %s\n", tag, smsgw24.StatusDelivered.Message(language.MustParse(tag)))
	}
	fmt.Println(smsgw24.Status(4).Message(language.German))
	// Output:
	// en: Delivered
	// de-AT: Zugestellt
	// ru: Доставлено
	// pt-BR: Entregue
	// es-419: Entregado
	// fr: Delivered
	// Unbekannter Status (Code 4)
}

// Status updates can arrive out of order and twice. Supersedes keeps a
// stored status from going backwards.
func ExampleStatus_Supersedes() {
	stored := map[int64]smsgw24.Status{}
	arrivals := []smsgw24.Status{
		smsgw24.StatusQueued, smsgw24.StatusPending, smsgw24.StatusTakenByPhone,
		smsgw24.StatusDelivered, smsgw24.StatusSent, smsgw24.StatusDelivered,
	}
	for _, s := range arrivals {
		if s.Supersedes(stored[42]) {
			stored[42] = s
		}
		fmt.Printf("got %-14v stored %v\n", s, stored[42])
	}
	// Output:
	// got queued         stored queued
	// got pending        stored queued
	// got taken_by_phone stored taken_by_phone
	// got delivered      stored delivered
	// got sent           stored delivered
	// got delivered      stored delivered
}

// A Handler literal with its callbacks set is ready to mount. Here a request
// is served in-process, as the gateway would send it.
func ExampleHandler() {
	h := &smsgw24.Handler{
		OnStatus: func(_ context.Context, s *smsgw24.StatusUpdate) error {
			fmt.Println("status", s.SMSID, s.Status, s.Status.Final())
			return nil
		},
		OnText: func(_ context.Context, m *smsgw24.TextMessage) error {
			fmt.Println("text from", m.Address+":", m.Body)
			return nil
		},
		Verifier: smsgw24.Token("s3cret"),
		Logger:   slog.New(slog.DiscardHandler),
	}

	post := func(query, contentType, body string) {
		r := httptest.NewRequest(http.MethodPost, "/smsgw24"+query, strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(strings.TrimSpace(fmt.Sprint(w.Code, " ", w.Body.String())))
	}
	post("?token=s3cret", "application/json", `{"sms_id":3281467,"status_id":7,"sendto":"+4915112345678"}`)
	post("?token=s3cret", "application/x-www-form-urlencoded", "sms_id=9911201&address=+4915112345678&body=Hallo%21")
	post("?token=wrong", "application/json", `{"sms_id":1,"status_id":7}`)
	post("?token=s3cret", "application/json", `{"status_id":7}`)
	// Output:
	// status 3281467 delivered true
	// 200
	// text from +4915112345678: Hallo!
	// 200
	// 403 {"error":"smsgw24: token rejected","status":403}
	// 422 {"error":"smsgw24: missing field: sms_id is absent","status":422}
}

// With a Deduplicator, a copy of an event the callback accepted is answered
// 200 without calling it again.
func ExampleMemoryDeduplicator() {
	calls := 0
	h := &smsgw24.Handler{
		OnStatus:     func(context.Context, *smsgw24.StatusUpdate) error { calls++; return nil },
		Deduplicator: &smsgw24.MemoryDeduplicator{MaxKeys: 10_000, Retention: 72 * time.Hour},
		Logger:       slog.New(slog.DiscardHandler),
	}
	for range 3 {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"sms_id":42,"status_id":7}`))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code)
	}
	fmt.Println("callback ran", calls, "time(s)")
	// Output:
	// 200
	// 200
	// 200
	// callback ran 1 time(s)
}
