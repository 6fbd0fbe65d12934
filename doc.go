// Package smsgw24 receives the webhooks of SMSGateway24, the service that
// turns Android phones into SMS and WhatsApp gateways, as typed Go values,
// and sends through its REST API with a typed [Client].
//
// The gateway calls two URLs that its user sets per device: one with the
// delivery status of each outgoing message, one with each incoming message
// (SMS, WhatsApp and WhatsApp Business text, RCS text, WhatsApp images).
// Each call carries one event:
//
//   - *[StatusUpdate]: the new [Status] of an outgoing message;
//   - *[TextMessage]: an incoming text;
//   - *[ImageMessage]: an incoming image, stored by the gateway at
//     [ImageMessage.ImageURL] ([ImageFetcher] downloads it safely).
//
// # Decoding
//
// [Parse] turns one body into its event. It reads JSON (also JSON encoded
// twice), form and multipart bodies, whatever the Content-Type says;
// numbers as strings; null in any field; a phone number or a zone offset
// whose "+" a form turned into a space; and every date format seen on the
// wire. A field that is merely odd never fails the body: it is kept in the
// event's [Extra]. Only a body without what identifies the event (sms_id,
// and status_id for a status update) fails, with an error that wraps one
// of the sentinels [Decoder.Parse] lists, such as [ErrMissingField]. A
// [Decoder] reads dates without a zone in a [Decoder.Location] of your
// choice.
//
// Events marshal to JSON with the gateway's field names, and [Parse] reads
// that JSON back to an equal event.
//
// # Receiving
//
// [Handler] is the [net/http.Handler] to mount at the webhook URLs. A
// literal with its callbacks set is ready:
//
//	h := &smsgw24.Handler{
//		OnStatus: func(ctx context.Context, s *smsgw24.StatusUpdate) error {
//			return store.SaveStatus(ctx, s.SMSID, s.Status)
//		},
//		OnText: func(ctx context.Context, m *smsgw24.TextMessage) error {
//			return store.SaveMessage(ctx, m.SMSID, m.Address, m.Body)
//		},
//		Verifier: smsgw24.Token(os.Getenv("SMSGW24_TOKEN")),
//	}
//	if err := h.Check(); err != nil { // a missing callback, an unset token
//		log.Fatal(err)
//	}
//	http.Handle("POST /smsgw24", h)
//
// and in the gateway's device settings, both webhook URLs point at
// https://your-host/smsgw24?token=SECRET. The Handler answers 200 only
// once a callback returned nil, so the gateway may send again what your
// code did not accept; a [Deduplicator] ([Handler.Deduplicator]) keeps the
// copies from reaching the callbacks twice.
//
// # Sending
//
// [Client] calls the gateway's REST API: [Client.SendSMS] queues a message
// on a phone and returns the SMSID that its status updates carry;
// [Client.SMSStatus], [Client.Messages] and [Client.Devices] ask about
// messages and phones. Requests are checked before they are sent
// ([ErrInvalidRequest]), answers are read with the tolerance that [Parse]
// has, and an error answer is an *[APIError]. Read methods are retried;
// sending is not, since the API has no idempotency key (see [Client]).
// Package [github.com/go-smsgw24/smsgw24/smsgw24test] has a local Gateway
// to test against.
//
//	client := &smsgw24.Client{Token: os.Getenv("SMSGW24_API_TOKEN")}
//	id, err := client.SendSMS(ctx, smsgw24.SMS{To: "+4915752982212", Body: "Hi", DeviceID: 260})
//
// # Verifying
//
// The gateway signs nothing: a secret in the webhook URL, checked by
// [Token] in constant time, is how a receiver knows a call comes from its
// gateway. [IPAllowlist], [StandardWebhooks] (for a signing proxy in
// front), [All] and [Any] cover other set-ups. Token and IPAllowlist are
// each a [RequestVerifier]: the Handler runs them before it reads the
// body.
//
// # Statuses
//
// [Status] keeps the gateway's codes, which are out of numeric order: 1
// pending, 3 queued, 2 taken by the phone, 6 sent, then a final 7
// delivered or one of the failures. [Status.Supersedes] follows that
// lifecycle, so that an update arriving late never moves a stored status
// backwards, and [Status.Message] describes a status in English, German,
// Russian, Portuguese or Spanish.
//
// Dates that a PHP DateTime object places in a named zone are read with
// the system's time zone database; a program that runs where there is none
// can import [time/tzdata].
package smsgw24

// Adding a kind of event. A new Kind constant goes into kinds (event.go)
// with its event type, and then into every place that tells the kinds
// apart; TestEveryKindIsHandled (kinds_test.go) and smsgw24test's
// TestEveryKindHasFixtures fail until the first ones are done:
//
//   - fields.go: classify (which fields make the kind), acceptedBy (the
//     names it reads) and assemble (the event it builds);
//   - event_json.go: its MarshalJSON; event.go: Kind, ID, Validate, isEvent;
//   - handler.go: callbackSuffix, hasCallback, call and logEvent, and an
//     On<Kind> callback on Handler; dedup.go: EventKey;
//   - smsgw24test: request.go (its dates) and fixtures of the kind;
//   - outside this package: inbox's Handlers and delivery.go, and
//     cmd/smsgw24's receiver.go and gateway.go.
