// example_test.go shows tests a user writes with smsgw24test: their own
// callbacks, mounted on a smsgw24.Handler, driven by the requests the
// gateway sends.

package smsgw24test_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

// inbox stands for a user's own code: it keeps the texts it is given.
type inbox struct{ messages []string }

func (in *inbox) save(_ context.Context, m *smsgw24.TextMessage) error {
	in.messages = append(in.messages, m.Address+": "+m.Body)
	return nil
}

// A test of a user's callback: a fixture with a phone number whose "+" a
// form body lost, sent with the token of the webhook URL, reaches the
// callback with the "+" given back.
func Example() {
	in := &inbox{}
	rec := smsgw24test.NewRecorder(&smsgw24.Handler{
		OnText:   in.save,
		Verifier: smsgw24.Token("s3cret"),
	})

	resp := rec.Serve(smsgw24test.NewFixtureRequest("text_v2_form_plus_lost", smsgw24test.RequestOptions{Token: "s3cret"}))

	fmt.Println(resp.Code, in.messages)
	// Output: 200 [+79001234567: Привет]
}

// A test that drives every fixture, each variant and odd shape of the
// wire, through a user's callbacks, and checks that each reached them.
func ExampleFixtures() {
	delivered := map[int64]smsgw24.Status{}
	in := &inbox{}
	rec := smsgw24test.NewRecorder(&smsgw24.Handler{
		OnStatus: func(_ context.Context, s *smsgw24.StatusUpdate) error {
			if s.Status.Supersedes(delivered[s.SMSID]) {
				delivered[s.SMSID] = s.Status
			}
			return nil
		},
		OnText:  in.save,
		OnImage: func(context.Context, *smsgw24.ImageMessage) error { return nil },
	})

	for _, f := range smsgw24test.Fixtures() {
		resp := rec.Serve(smsgw24test.NewFixtureRequest(f.Name, smsgw24test.RequestOptions{}))
		if resp.Code != 200 {
			fmt.Println(f.Name, resp.Code, resp.Body)
		}
	}

	fmt.Println(len(rec.Statuses()), "status updates,", len(rec.Texts()), "texts,", len(rec.Images()), "images")
	fmt.Println("3281467:", delivered[3281467])
	// Output:
	// 18 status updates, 34 texts, 5 images
	// 3281467: delivered
}

// A test with an event of the user's own, sent the ways the gateway sends
// it: as JSON and as a form, in both generations of its documents.
func ExampleNewRequest() {
	in := &inbox{}
	rec := smsgw24test.NewRecorder(&smsgw24.Handler{OnText: in.save})
	msg := &smsgw24.TextMessage{
		SMSID:   42,
		Address: "+4915112345678",
		Body:    "Ist mein Paket unterwegs?",
		Date:    time.Date(2025, 6, 2, 14, 10, 11, 0, time.UTC),
		Channel: smsgw24.ChannelWhatsApp,
	}

	for _, opts := range []smsgw24test.RequestOptions{
		{},
		{Form: true},
		{Form: true, Legacy: true},
	} {
		resp := rec.Serve(smsgw24test.NewRequest(msg, opts))
		got := rec.Texts()[len(rec.Texts())-1]
		fmt.Println(resp.Code, got.Address, got.Channel, got.Date.Format(time.DateTime))
	}
	// Output:
	// 200 +4915112345678 whatsapp 2025-06-02 14:10:11
	// 200 +4915112345678 whatsapp 2025-06-02 14:10:11
	// 200 +4915112345678 whatsapp 2025-06-02 14:10:11
}

// The body the gateway sends for an event, as a form: the "+" of the phone
// number is left unescaped, as the gateway leaves it.
func ExampleEncode() {
	status := &smsgw24.StatusUpdate{SMSID: 3281467, Status: smsgw24.StatusDelivered, SendTo: "+4915112345678"}

	contentType, body := smsgw24test.Encode(status, smsgw24test.RequestOptions{Form: true, Legacy: true})

	fmt.Println(contentType)
	fmt.Println(string(body))
	// Output:
	// application/x-www-form-urlencoded
	// sms_id=3281467&status_id=7&status_message=&sendto=+4915112345678&senttime=&sim=0&device_id=0
}

// A test of how the Handler answers a request with a wrong token: 403, and
// the callback is not called.
func ExampleRecorder() {
	rec := smsgw24test.NewRecorder(&smsgw24.Handler{
		OnStatus: func(context.Context, *smsgw24.StatusUpdate) error { return nil },
		Verifier: smsgw24.Token("s3cret"),
		Logger:   slog.New(slog.DiscardHandler),
	})

	wrong := rec.Serve(smsgw24test.NewFixtureRequest("status_v1_json", smsgw24test.RequestOptions{Token: "guess"}))
	right := rec.Serve(smsgw24test.NewFixtureRequest("status_v1_json", smsgw24test.RequestOptions{Token: "s3cret"}))

	fmt.Println(wrong.Code, right.Code, len(rec.Statuses()))
	// Output: 403 200 1
}

// A Deduplicator of one's own is held to the contract from a test: each
// call of open makes a fresh store, each call of the function it returns
// one replica on that store. Here a MemoryDeduplicator, one store for the
// replicas of one process.
func ExampleTestDeduplicator() {
	testMemory := func(t *testing.T) {
		smsgw24test.TestDeduplicator(t, func(t *testing.T, lease, retention time.Duration) func() smsgw24.Deduplicator {
			m := &smsgw24.MemoryDeduplicator{Lease: lease, Retention: retention}
			return func() smsgw24.Deduplicator { return m }
		})
	}
	_ = testMemory // func TestMemory(t *testing.T) in a _test.go file
}
