// readme_test.go holds the Go code of the README's "Testing your code"
// section, as it stands there: TestReadmeSnippets keeps the two the same,
// and go test runs them as a user who pasted them would.

package smsgw24test_test

import (
	"testing"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

func TestIncomingText(t *testing.T) {
	store := newTestStore(t) // your code
	rec := smsgw24test.NewRecorder(&smsgw24.Handler{
		OnText:   store.SaveMessage,
		Verifier: smsgw24.Token("s3cret"),
	}, t) // with t, the Handler logs to the test's log

	resp := rec.Serve(smsgw24test.NewFixtureRequest("text_v2_form_plus_lost",
		smsgw24test.RequestOptions{Token: "s3cret"}))

	if resp.Code != 200 {
		t.Fatalf("answered %d: %s", resp.Code, resp.Body)
	}
	if got := rec.Texts()[0].Address; got != "+79001234567" { // the "+" the form lost, restored
		t.Errorf("address %q", got)
	}
	// ... and what store.SaveMessage stored
}

func TestOwnEvents(t *testing.T) {
	store := newTestStore(t)
	rec := smsgw24test.NewRecorder(&smsgw24.Handler{OnText: store.SaveMessage, Verifier: smsgw24.Token("s3cret")}, t)

	msg := &smsgw24.TextMessage{SMSID: 42, Address: "+4915112345678", Body: "Hallo!"}
	for _, opts := range []smsgw24test.RequestOptions{
		{Token: "s3cret"},                           // JSON, newer docs: channel_id, type
		{Token: "s3cret", Legacy: true},             // JSON, older docs: sim, no type
		{Token: "s3cret", Form: true},               // a form, the "+" left unescaped as the gateway does
		{Token: "s3cret", Form: true, Legacy: true}, // a form, older docs
	} {
		resp := rec.Serve(smsgw24test.NewRequest(msg, opts))
		if resp.Code != 200 {
			t.Errorf("%+v: answered %d: %s", opts, resp.Code, resp.Body)
		}
	}
}

func TestEveryVariant(t *testing.T) {
	store := newTestStore(t)
	rec := smsgw24test.NewRecorder(&smsgw24.Handler{
		OnStatus: store.SaveStatus,
		OnText:   store.SaveMessage,
		OnImage:  store.SaveImage,
		Verifier: smsgw24.Token("s3cret"),
	}, t)

	for _, f := range smsgw24test.Fixtures() {
		resp := rec.Serve(smsgw24test.NewFixtureRequest(f.Name, smsgw24test.RequestOptions{Token: "s3cret"}))
		if resp.Code != 200 {
			t.Errorf("%s: answered %d: %s", f.Name, resp.Code, resp.Body)
		}
	}
}
