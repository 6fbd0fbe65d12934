// Package smsgw24test helps test code that receives SMSGateway24 webhooks,
// or sends through its API, with package [smsgw24], as [net/http/httptest]
// helps test code built on [net/http].
//
// It builds the requests the gateway sends, as JSON or form bodies, in
// either generation of the gateway's documents, with or without the token of
// the webhook URL; it carries a named fixture for every variant and for the
// odd shapes seen on the real wire; its [Recorder] mounts a
// [smsgw24.Handler] and keeps the events that the Handler's callbacks
// accepted; and [TestDeduplicator] holds a [smsgw24.Deduplicator] to its
// contract.
//
// Its [Gateway] is a fake SMSGateway24 for tests of the whole loop without
// a phone: it serves the REST API that [smsgw24.Client] calls, and posts the
// status updates of each message it accepts, and incoming messages a test
// injects, to the user's webhook URLs, in the wire styles the real gateway
// uses (see ExampleGateway).
//
// A test of a user's callback, in one line per request:
//
//	rec := smsgw24test.NewRecorder(&smsgw24.Handler{
//		OnText:   saveMessage,
//		Verifier: smsgw24.Token("s3cret"),
//	}, t) // the Handler logs to the test's log
//	resp := rec.Serve(smsgw24test.NewFixtureRequest("text_v2_form_plus_lost",
//		smsgw24test.RequestOptions{Token: "s3cret"}))
//	// resp.Code == 200, rec.Texts()[0].Address == "+79001234567"
package smsgw24test
