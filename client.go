// client.go holds Client, the typed client of the SMSGateway24 REST API:
// its options, how it posts a method's parameters and reads the answer's
// envelope, its retries of read methods, and the guard that keeps the
// token and passwords out of every error. The methods and their request and
// answer types live in sms.go, messages.go, devices.go and contacts.go.

package smsgw24

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is where the SMSGateway24 API answers; the method name is
// appended to it.
const DefaultBaseURL = "https://smsgateway24.com/getdata/"

// Defaults of a [Client]'s zero fields.
const (
	// DefaultRetries is how many times a read method is tried again after
	// a network error or a 5xx answer.
	DefaultRetries = 3
	// DefaultMaxAnswerBytes caps the answer the client reads: getallsms
	// lists an account's whole history.
	DefaultMaxAnswerBytes = 64 << 20
	// DefaultTimeout bounds one request of a [Client] without an
	// [Client.HTTPClient].
	DefaultTimeout = 30 * time.Second
)

// defaultHTTPClient follows a redirect only on the same host: a 307 or 308
// resends the body, which holds the token.
var defaultHTTPClient = &http.Client{
	Timeout: DefaultTimeout,
	CheckRedirect: func(req *http.Request, via []*http.Request) error {
		switch {
		case len(via) >= 10:
			return errors.New("stopped after 10 redirects")
		case req.URL.Host != via[0].URL.Host:
			return errors.New("a redirect to another host is not followed: it would carry the token there")
		}
		return nil
	},
}

// Client calls the SMSGateway24 REST API. Its zero value with its Token set is
// ready to use, and it is safe for concurrent use; do not change its fields
// while it is in use.
//
// Each method takes a context, posts its parameters as a form (with the
// exact names the API reads) and decodes the answer with the tolerance
// that [Parse] has for webhooks. A request that lacks what the method
// needs is refused before any network call, with an error wrapping
// [ErrInvalidRequest]; an answer that reports an error, or that is not the
// API's JSON, is an *[APIError]. No error text holds the token or a
// password.
//
// # Retries
//
// The read methods ([Client.SMSStatus], [Client.Messages],
// [Client.CountMessages], [Client.Devices] and [Client.DeviceStatus]) are
// tried again after a network error or a 5xx answer, up to
// [Client.Retries] times, with a growing pause, as long as the context
// allows. The methods that send or save ([Client.SendSMS],
// [Client.SendBulk], [Client.SendTemplate], [Client.SaveTag],
// [Client.SaveContact], [Client.SaveNewsletter]) are never tried again by
// the client: the API has no idempotency key, and a request whose answer
// was lost may have been carried out, so that a second one would send the
// SMS twice. To send again safely after such an error, give each [SMS] a
// [SMS.CustomerID] of your own and ask [Client.Messages] with that
// [MessageQuery.CustomerID] whether the gateway has it before sending it
// again.
type Client struct {
	Token      string       // the account's API token
	BaseURL    string       // "" means [DefaultBaseURL]; the method name is appended
	HTTPClient *http.Client // nil means a client with a [DefaultTimeout] that follows no redirect to another host

	// Retries is how many times a read method is tried again after a
	// network error or a 5xx answer. 0 means [DefaultRetries]; a negative
	// number means never.
	Retries int
	// Backoff is the pause before retry n (1, 2, ...). nil means 250 ms,
	// doubling with each retry up to 8 s, with random jitter.
	Backoff func(n int) time.Duration

	// Location is where a date without a zone in an answer is read (the
	// API's PHP DateTime objects carry their zone). nil means UTC. The
	// times the client returns are always in UTC.
	Location *time.Location
	// MaxAnswerBytes caps an answer's length; 0 means [DefaultMaxAnswerBytes].
	MaxAnswerBytes int64
}

// APIError is an answer whose error field is set, or an answer that is not
// the API's JSON (an HTML error page, a 5xx). [errors.As] finds it.
type APIError struct {
	Method     string // "addsms", ...
	Message    string // the API's message; never the token
	HTTPStatus int
}

func (e *APIError) Error() string {
	return fmt.Sprintf("smsgw24: %s: %s (HTTP %d)", e.Method, e.Message, e.HTTPStatus)
}

// GetToken asks for the account's API token with its email and password
// (gettoken). It needs no token; set [Client.Token] to what it returns.
// The password appears in no error.
func (c *Client) GetToken(ctx context.Context, email, password string) (string, error) {
	switch {
	case strings.TrimSpace(email) == "":
		return "", invalid("email", "GetToken's email", "is required")
	case password == "":
		return "", invalid("pass", "GetToken's password", "is required")
	}
	form := url.Values{"email": {email}, "pass": {password}}
	ans, err := c.call(ctx, "gettoken", formRequest(form), false, password)
	if err != nil {
		return "", err
	}
	token := strings.TrimSpace(ans.fields.text("token"))
	if token == "" {
		return "", ans.missing("token")
	}
	return token, nil
}

// request is one method's body: a form, or JSON.
type request struct {
	contentType string
	body        []byte
}

// formRequest encodes form. Encode escapes a "+" as %2B, so that a number
// keeps it; a space, which it writes as "+", is written %20 instead, so that
// the body holds no "+" that a server could read either way.
func formRequest(form url.Values) request {
	body := strings.ReplaceAll(form.Encode(), "+", "%20")
	return request{contentType: "application/x-www-form-urlencoded", body: []byte(body)}
}

// jsonRequest encodes v as a JSON body, "<", ">" and "&" left as they are.
func jsonRequest(v any) (request, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return request{}, err
	}
	return request{contentType: "application/json", body: bytes.TrimSuffix(b.Bytes(), []byte("\n"))}, nil
}

// answer is a successful answer: its envelope, its fields and the reader
// that reads them further.
type answer struct {
	method string
	status int
	fields answerFields
	reader *answerReader
}

// missing reports a successful answer without a field the method returns.
func (a *answer) missing(field string) error {
	return &APIError{Method: a.method, Message: "the answer has no usable " + field, HTTPStatus: a.status}
}

// tokenForm starts a form with the client's token, or refuses a client
// without one.
func (c *Client) tokenForm() (url.Values, error) {
	if strings.TrimSpace(c.Token) == "" {
		return nil, invalid("token", "Client.Token", "is required")
	}
	return url.Values{"token": {c.Token}}, nil
}

// call posts req to method and reads the answer. A read method (retry) is
// tried again after a network error or a 5xx answer. secrets are kept out
// of every error, with the token.
func (c *Client) call(ctx context.Context, method string, req request, retry bool, secrets ...string) (*answer, error) {
	secrets = append(secrets, c.Token)
	tries := 1
	if retry {
		switch {
		case c.Retries == 0:
			tries += DefaultRetries
		case c.Retries > 0:
			tries += c.Retries
		}
	}
	for n := 1; ; n++ {
		ans, again, err := c.try(ctx, method, req)
		if err == nil {
			return ans, nil
		}
		if !again || n >= tries || ctx.Err() != nil {
			return nil, redact(err, secrets)
		}
		pause := time.NewTimer(c.backoff(n))
		select {
		case <-ctx.Done():
			pause.Stop()
			return nil, redact(fmt.Errorf("smsgw24: %s: %w while waiting to retry after: %w", method, ctx.Err(), err), secrets)
		case <-pause.C:
		}
	}
}

func (c *Client) backoff(n int) time.Duration {
	if c.Backoff != nil {
		return c.Backoff(n)
	}
	d := 250 * time.Millisecond << min(n-1, 5)
	return d/2 + rand.N(d/2+1)
}

// try posts once. again says whether the failure may be retried: a
// network error or a 5xx answer.
func (c *Client) try(ctx context.Context, method string, req request) (ans *answer, again bool, err error) {
	target, err := c.methodURL(method)
	if err != nil {
		return nil, false, err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(req.body))
	if err != nil {
		return nil, false, fmt.Errorf("smsgw24: %s: %w", method, err)
	}
	hreq.Header.Set("Content-Type", req.contentType)
	hreq.Header.Set("Accept", "application/json")
	hc := c.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient
	}
	resp, err := hc.Do(hreq)
	if err != nil {
		return nil, true, fmt.Errorf("smsgw24: %s: %w", method, redactURL(err))
	}
	defer resp.Body.Close()
	limit := c.MaxAnswerBytes
	if limit <= 0 {
		limit = DefaultMaxAnswerBytes
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, true, fmt.Errorf("smsgw24: %s: reading the answer: %w", method, err)
	}
	again = resp.StatusCode >= 500
	if int64(len(data)) > limit {
		return nil, again, &APIError{Method: method, Message: fmt.Sprintf("the answer is longer than %d bytes", limit), HTTPStatus: resp.StatusCode}
	}
	ans, err = c.read(method, resp, data)
	return ans, again && err != nil, err
}

// read decodes an answer's envelope. The body decides, except that an
// HTTP status of 400 or more is an error whatever the body says.
func (c *Client) read(method string, resp *http.Response, data []byte) (*answer, error) {
	ar := &answerReader{loc: c.Location}
	if ar.loc == nil {
		ar.loc = time.UTC
	}
	fields, err := ar.object(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if err != nil {
		what := "the answer is not the API's JSON"
		if mt := resp.Header.Get("Content-Type"); mt != "" {
			mt, _, _ = strings.Cut(mt, ";")
			what += " (" + strings.TrimSpace(mt) + ")"
		}
		if len(bytes.TrimSpace(data)) == 0 {
			what = "the answer is empty"
		}
		return nil, &APIError{Method: method, Message: what, HTTPStatus: resp.StatusCode}
	}
	env := readEnvelope(fields)
	if env.failed || resp.StatusCode >= 400 {
		msg := env.message
		switch {
		case !env.failed:
			msg = "HTTP " + resp.Status
		case msg == "":
			msg = "the API reports an error without a message"
		}
		return nil, &APIError{Method: method, Message: msg, HTTPStatus: resp.StatusCode}
	}
	return &answer{method: method, status: resp.StatusCode, fields: fields, reader: ar}, nil
}

// methodURL is BaseURL with method appended.
func (c *Client) methodURL(method string) (string, error) {
	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%w: Client.BaseURL is not an http or https URL", ErrInvalidRequest)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.Path += method
	u.RawPath = ""
	return u.String(), nil
}

// redact keeps secrets out of an error: the URL of a transport error is
// shown without its query and password, and any secret left in the text
// (an answer that echoed the token) is replaced. The error still unwraps
// to what it wrapped, for errors.Is.
func redact(err error, secrets []string) error {
	if ae, ok := errors.AsType[*APIError](err); ok {
		ae.Message = scrub(ae.Message, secrets)
	}
	text := err.Error()
	if clean := scrub(text, secrets); clean != text {
		return &redactedError{text: clean, err: err}
	}
	return err
}

// redactURL shows the URL of a transport error without its query and
// password. It is called before the error is wrapped, whose text is
// written at once.
func redactURL(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery, u.Fragment = "", ""
			ue.URL = u.Redacted()
		} else {
			ue.URL = "(an unreadable URL)"
		}
	}
	return err
}

// scrub replaces each secret in s, as it is, as a URL or form escapes it,
// and as a form decodes it unescaped ("+" a space), with REDACTED.
func scrub(s string, secrets []string) string {
	for _, secret := range secrets {
		if strings.TrimSpace(secret) == "" {
			continue
		}
		for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret), strings.ReplaceAll(secret, "+", " ")} {
			s = strings.ReplaceAll(s, form, "REDACTED")
		}
	}
	return s
}

// redactedError is an error whose text had a secret removed.
type redactedError struct {
	text string
	err  error
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }
