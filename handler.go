// handler.go holds Handler, the http.Handler that users mount at the URLs
// they give the gateway: it caps and reads the body, verifies the request,
// decodes it with Parse, de-duplicates it, calls the user's callback and
// answers with a status code that tells the gateway whether to try again.
// Reading the body is in handler_body.go, running the callbacks in
// handler_callback.go.

package smsgw24

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// DefaultMaxBodyBytes is the body cap of a [Handler] whose MaxBodyBytes is
// zero: 1 MiB. Most of the gateway's bodies are under 1 KiB, but a WhatsApp
// text may be 65 536 characters, about 400 KiB once escaped as \uXXXX in
// JSON or percent-encoded in a form (768 KiB for emoji). The cap costs
// nothing up front: the body's buffer grows only as its bytes arrive.
const DefaultMaxBodyBytes = 1 << 20

// Handler receives the gateway's webhooks. A [Handler] literal with its
// callbacks set is ready to mount, on both the status URL and the incoming
// message URL, or on one URL for both:
//
//	h := &smsgw24.Handler{
//		OnStatus: saveStatus,
//		OnText:   saveMessage,
//		OnImage:  saveImage,
//		Verifier: smsgw24.Token(os.Getenv("SMSGW24_TOKEN")),
//	}
//	if err := h.Check(); err != nil {
//		log.Fatal(err)
//	}
//	http.Handle("/smsgw24", h)
//
// Its answers:
//
//	200  the event was decoded, verified and handled (or handled before)
//	400  the body cannot be decoded
//	401  no credential presented (see Verifier)
//	403  a wrong credential, or an address that is not allowed
//	405  any method but POST, with Allow: POST
//	409  the same event is being handled right now by another request
//	413  the body is longer than MaxBodyBytes
//	415  a media type that is neither JSON nor a form, and a body that is neither JSON, multipart nor a form
//	422  the body lacks what identifies the event (sms_id, status_id)
//	500  the callback returned an error or panicked
//	501  no callback is set for the kind of event (nor OnEvent)
//	503  the callback ran out of Timeout, or the Deduplicator failed
//
// Only the 200 says that the user's code accepted the event; the gateway
// may send anything else again. The 200 has an empty body: its status is
// all the gateway reads. The other answers are short JSON objects such as
// {"error":"smsgw24: missing field: sms_id is absent"}; they never hold a
// secret or a message's text.
type Handler struct {
	// OnStatus receives status updates of outgoing messages.
	OnStatus func(context.Context, *StatusUpdate) error
	// OnText receives incoming text messages.
	OnText func(context.Context, *TextMessage) error
	// OnImage receives incoming images.
	OnImage func(context.Context, *ImageMessage) error
	// OnEvent receives the events whose own callback is nil. Without it,
	// such an event is answered 501 and logged as an error, so that a
	// missing callback shows instead of losing messages in silence.
	OnEvent func(context.Context, Event) error

	// Verifier checks each request before its body is decoded, for
	// example Token(secret); a [RequestVerifier] such as [Token] checks it
	// before the body is even read. nil accepts every request: the
	// gateway signs nothing, so without a [Verifier] anyone who knows the URL
	// can post ([Handler.Check] reports it).
	Verifier Verifier

	// MaxBodyBytes caps the body; a longer one is answered 413. 0 means
	// [DefaultMaxBodyBytes] (1 MiB); math.MaxInt64 means no cap. Memory is
	// taken as the body's bytes arrive, never for the length a client
	// announces.
	MaxBodyBytes int64

	// Location is where dates without a zone are read. nil means UTC.
	Location *time.Location

	// Deduplicator, if set, keeps an event that was handled once from
	// reaching the callbacks again. See [Deduplicator]. A Deduplicator that
	// fails is answered 503 ([ErrDeduplicator]), without the callback.
	Deduplicator Deduplicator

	// Timeout, if positive, bounds the context a callback receives. A
	// callback that returns the context's error is answered 503. A
	// callback that ignores its context is not stopped.
	//
	// With a [Deduplicator], keep Timeout below its lease: a callback still
	// running when the lease runs out may be taken over by a copy of the
	// event on another request or replica, and then both run.
	Timeout time.Duration

	// Logger receives one record per rejected or failed request (warn and
	// error), and one per handled event at debug level, with the kind,
	// sms_id and status. It never receives a secret, the URL's query or,
	// unless LogMessageText is set, a message's text. nil means
	// slog.Default().
	Logger *slog.Logger

	// LogMessageText adds the text and sender of messages to the debug
	// records of handled events.
	LogMessageText bool

	// OnError, if set, is called with every error the [Handler] answers,
	// for metrics or alerts, with the HTTP status it answered.
	OnError func(r *http.Request, status int, err error)
}

// Errors the [Handler] answers with, beside those of [Parse] and the verifiers.
var (
	// ErrMethodNotAllowed: the request was not a POST.
	ErrMethodNotAllowed = errors.New("smsgw24: method not allowed, use POST")
	// ErrBodyTooLarge: the body is longer than MaxBodyBytes.
	ErrBodyTooLarge = errors.New("smsgw24: body too large")
	// ErrNoCallback: no callback is set for the kind of event.
	ErrNoCallback = errors.New("smsgw24: no callback for this kind of event")
	// ErrInProgress: the same event is being handled by another request.
	ErrInProgress = errors.New("smsgw24: the same event is being handled, try again later")
	// ErrCallbackPanic: the callback panicked.
	ErrCallbackPanic = errors.New("smsgw24: callback panicked")
	// ErrNoVerifier: [Handler.Check] found no [Verifier].
	ErrNoVerifier = errors.New("smsgw24: no Verifier: every request is accepted")
	// ErrDeduplicator: the [Deduplicator] failed to claim the event (its
	// store is down), so the callback did not run. It is answered 503; the
	// store's own error is wrapped for the log and OnError, not answered.
	ErrDeduplicator = errors.New("smsgw24: the de-duplication store failed, try again later")
)

// ServeHTTP handles one webhook request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.fail(w, r, http.StatusMethodNotAllowed, ErrMethodNotAllowed)
		return
	}
	// A verifier that needs no body decides before a byte of it is read.
	early, isEarly := h.Verifier.(RequestVerifier)
	if isEarly {
		if err := early.VerifyRequest(r); err != nil {
			h.failVerify(w, r, err)
			return
		}
	}
	// Parse copies what it keeps, and a Verifier keeps nothing, so the
	// buffers are free again once the request is answered.
	buf := getBuffers()
	defer putBuffers(buf)
	body, err := h.readBody(r, buf.body)
	buf.body = body
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, ErrBodyTooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
		h.fail(w, r, status, err)
		return
	}
	if h.Verifier != nil && !isEarly {
		if err := h.Verifier.Verify(r, body); err != nil {
			h.failVerify(w, r, err)
			return
		}
	}
	d := Decoder{Location: h.Location}
	ev, err := d.parse(firstValue(r.Header["Content-Type"]), body, &buf.state, true)
	if err != nil {
		h.fail(w, r, decodeStatus(err), err)
		return
	}
	h.handle(w, r, ev)
}

// failVerify answers a verification error: 401 for [ErrUnauthenticated],
// 403 for anything else.
func (h *Handler) failVerify(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusForbidden
	if errors.Is(err, ErrUnauthenticated) {
		status = http.StatusUnauthorized
	}
	h.fail(w, r, status, err)
}

func decodeStatus(err error) int {
	switch {
	case errors.Is(err, ErrUnsupportedMediaType):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, ErrMissingField), errors.Is(err, ErrInvalidField):
		return http.StatusUnprocessableEntity
	}
	return http.StatusBadRequest
}

// handle runs the callback for ev, under the [Deduplicator] if there is one.
func (h *Handler) handle(w http.ResponseWriter, r *http.Request, ev Event) {
	if !h.hasCallback(ev) {
		h.fail(w, r, http.StatusNotImplemented, fmt.Errorf("%w: %s", ErrNoCallback, ev.Kind()))
		return
	}
	ctx := r.Context()
	var key string
	var lease Lease
	settled := true
	if h.Deduplicator != nil {
		key = EventKey(ev)
		claim, l, err := h.Deduplicator.Claim(ctx, key)
		switch {
		case err != nil:
			h.fail(w, r, http.StatusServiceUnavailable, fmt.Errorf("%w: %w", ErrDeduplicator, err))
			return
		case claim == ClaimDone:
			h.logEvent(ctx, "webhook duplicate skipped", ev)
			writeOK(w)
			return
		case claim == ClaimBusy:
			w.Header().Set("Retry-After", "1")
			h.fail(w, r, http.StatusConflict, ErrInProgress)
			return
		}
		lease, settled = l, false
		// A callback that aborts the request (panic(http.ErrAbortHandler))
		// gives its claim up, so that a retry runs; the panic goes on.
		defer func() {
			if !settled {
				h.settle(ctx, ev, key, lease, ErrCallbackPanic)
			}
		}()
	}
	err := h.call(ctx, ev)
	if !settled {
		settled = true
		h.settle(ctx, ev, key, lease, err)
	}
	if err != nil {
		status := http.StatusInternalServerError
		if h.Timeout > 0 && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)) {
			status = http.StatusServiceUnavailable
		}
		h.fail(w, r, status, err)
		return
	}
	h.logEvent(ctx, "webhook handled", ev)
	writeOK(w)
}

// settle commits the claim of key when the callback returned nil, and
// releases it otherwise: the key counts as seen only once the callback
// succeeded, and after a failure the gateway's retry must reach the
// callback again. A claim whose lease ran out meanwhile may be held by
// another request, which is logged: the callback may run twice.
func (h *Handler) settle(ctx context.Context, ev Event, key string, lease Lease, callbackErr error) {
	ctx = context.WithoutCancel(ctx)
	var err error
	if callbackErr == nil {
		err = h.Deduplicator.Commit(ctx, key, lease)
	} else {
		err = h.Deduplicator.Release(ctx, key, lease)
	}
	switch {
	case err == nil:
	case errors.Is(err, ErrLeaseExpired):
		h.logger().LogAttrs(ctx, slog.LevelWarn, "webhook callback outlasted its claim's lease",
			slog.String("kind", string(ev.Kind())), slog.Int64("sms_id", ev.ID()), slog.String("error", err.Error()))
	default:
		h.logger().LogAttrs(ctx, slog.LevelError, "webhook deduplicator failed",
			slog.String("kind", string(ev.Kind())), slog.Int64("sms_id", ev.ID()), slog.String("error", err.Error()))
	}
}

// fail answers an error, logs it and reports it to OnError. A callback's
// own error text stays in the log and OnError: the answer names only the
// class of failure, as the text may hold anything.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	level := slog.LevelWarn
	if status >= 500 {
		level = slog.LevelError
	}
	h.logger().LogAttrs(r.Context(), level, "webhook rejected",
		slog.Int("http_status", status), slog.String("error", err.Error()),
		slog.String("method", r.Method), slog.String("path", r.URL.Path))
	if h.OnError != nil {
		h.OnError(r, status, err)
	}
	text := err.Error()
	switch status {
	case http.StatusInternalServerError:
		if !errors.Is(err, ErrCallbackPanic) {
			text = "smsgw24: the callback failed"
		}
	case http.StatusServiceUnavailable:
		text = "smsgw24: the callback timed out"
		if errors.Is(err, ErrDeduplicator) {
			text = ErrDeduplicator.Error()
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	msg := append([]byte(`{"error":`), appendJSONString(nil, []byte(text))...)
	msg = append(msg, `,"status":`...)
	msg = strconv.AppendInt(msg, int64(status), 10)
	_, _ = w.Write(append(msg, "}\n"...))
}

// writeOK answers 200 with an empty body and no header of its own: net/http
// then writes the shortest answer it has, as for a handler that writes
// nothing (Content-Length: 0). A body and its Content-Type cost net/http
// more to write than the rest of a request's path costs the Handler, and
// the gateway reads only the status.
func writeOK(w http.ResponseWriter) {
	w.WriteHeader(http.StatusOK)
}

// firstValue returns the first of a header's values, or "". Headers are
// looked up by the key as net/http spells it (r.Header["Content-Type"]),
// which is what Header.Get finds after working out that spelling on every
// call.
func firstValue(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}
