// client_errors_test.go pins how Client fails: requests refused before
// any network call, error answers as *APIError, retries of read methods
// only, and no token or password in any error text.

package smsgw24_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24"
)

func TestClientRefusesInvalidRequests(t *testing.T) {
	good := smsgw24.SMS{To: "+4915752982212", Body: "hi", DeviceID: 260}
	with := func(change func(*smsgw24.SMS)) smsgw24.SMS {
		m := good
		change(&m)
		return m
	}
	bad := -1
	badChannel := smsgw24.Channel(bad)
	tests := []struct {
		name  string
		call  func(*smsgw24.Client) error
		field string
	}{
		{"no recipient", func(c *smsgw24.Client) error {
			_, err := c.SendSMS(ctx, with(func(m *smsgw24.SMS) { m.To = "" }))
			return err
		}, "sendto"},
		{"no body", func(c *smsgw24.Client) error {
			_, err := c.SendSMS(ctx, with(func(m *smsgw24.SMS) { m.Body = "" }))
			return err
		}, "body"},
		{"no device", func(c *smsgw24.Client) error {
			_, err := c.SendSMS(ctx, with(func(m *smsgw24.SMS) { m.DeviceID = 0 }))
			return err
		}, "device_id"},
		{"a channel out of range", func(c *smsgw24.Client) error {
			_, err := c.SendSMS(ctx, with(func(m *smsgw24.SMS) { m.Channel = 6 }))
			return err
		}, "sim"},
		{"a negative customer id", func(c *smsgw24.Client) error {
			_, err := c.SendSMS(ctx, with(func(m *smsgw24.SMS) { m.CustomerID = -5 }))
			return err
		}, "customerid"},
		{"no messages in a bulk", func(c *smsgw24.Client) error { return c.SendBulk(ctx, nil) }, "smsdata"},
		{"the second of a bulk without body", func(c *smsgw24.Client) error {
			return c.SendBulk(ctx, []smsgw24.SMS{good, with(func(m *smsgw24.SMS) { m.Body = "" })})
		}, "smsdata[1].body"},
		{"a negative sms id", func(c *smsgw24.Client) error { _, err := c.SMSStatus(ctx, -1); return err }, "sms_id"},
		{"a negative device id", func(c *smsgw24.Client) error { _, err := c.DeviceStatus(ctx, -1); return err }, "device_id"},
		{"a negative device filter", func(c *smsgw24.Client) error {
			_, err := c.Messages(ctx, smsgw24.MessageQuery{DeviceID: -1})
			return err
		}, "device_id"},
		{"a channel filter out of range", func(c *smsgw24.Client) error {
			_, err := c.Messages(ctx, smsgw24.MessageQuery{Channel: &badChannel})
			return err
		}, "sim"},
		{"a zone no one knows", func(c *smsgw24.Client) error {
			_, err := c.CountMessages(ctx, smsgw24.MessageQuery{TimeZone: "Mars/Olympus"})
			return err
		}, "timezone"},
		{"a tag without title", func(c *smsgw24.Client) error { _, err := c.SaveTag(ctx, " "); return err }, "title"},
		{"a contact without tag", func(c *smsgw24.Client) error {
			_, err := c.SaveContact(ctx, smsgw24.Contact{Phone: "+1"})
			return err
		}, "tag_id"},
		{"a newsletter without tags", func(c *smsgw24.Client) error {
			_, err := c.SaveNewsletter(ctx, smsgw24.Newsletter{Title: "t", Body: "b", DeviceID: 1})
			return err
		}, "tags"},
		{"a newsletter with a tag id of 0", func(c *smsgw24.Client) error {
			_, err := c.SaveNewsletter(ctx, smsgw24.Newsletter{Title: "t", Body: "b", DeviceID: 1, TagIDs: []int64{4, 0}})
			return err
		}, "tags[1]"},
		{"a template without sender id", func(c *smsgw24.Client) error {
			return c.SendTemplate(ctx, smsgw24.TemplateSMS{To: "+1", TemplateID: "otp"})
		}, "sender_id"},
		{"a template with a callback that is no URL", func(c *smsgw24.Client) error {
			return c.SendTemplate(ctx, smsgw24.TemplateSMS{To: "+1", SenderID: "s", TemplateID: "otp", CallbackURL: "ftp:nothing"})
		}, "webhook_callback_url"},
		{"GetToken without password", func(c *smsgw24.Client) error { _, err := c.GetToken(ctx, "me@example.com", ""); return err }, "pass"},
		{"no token", func(c *smsgw24.Client) error {
			c.Token = ""
			_, err := c.Devices(ctx)
			return err
		}, "token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, "addsms.json")
			err := tt.call(api.client())
			require.ErrorIs(t, err, smsgw24.ErrInvalidRequest)
			var fe *smsgw24.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			assert.Contains(t, err.Error(), tt.field)
			assert.Empty(t, api.requests(), "refused before any network call")
		})
	}
}

func TestClientErrorAnswers(t *testing.T) {
	tests := []struct {
		name    string
		answer  string
		status  int
		message string
	}{
		{"error 1", "error_login.json", 200, "Login or password incorrect"},
		{"error true", "error_bool.json", 200, "Token not found"},
		{"error as text", "error_text.json", 200, "Token not found"},
		{"an HTML page", "bad_gateway.html", 200, "the answer is not the API's JSON (text/html)"},
		{"an HTML 502", "bad_gateway.html", 502, "the answer is not the API's JSON (text/html)"},
		{"JSON without error under a 404", "addsms.json", 404, "HTTP 404 Not Found"},
		{"success without the id", "addalotofsms.json", 200, "the answer has no usable sms_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.answer)
			api.status = []int{tt.status}
			_, err := api.client().SendSMS(ctx, smsgw24.SMS{To: "+1", Body: "b", DeviceID: 1})
			var ae *smsgw24.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, smsgw24.APIError{Method: "addsms", Message: tt.message, HTTPStatus: tt.status}, *ae)
			assert.Len(t, api.requests(), 1, "sending is never retried")
		})
	}
}

func TestClientRetriesReadMethods(t *testing.T) {
	t.Run("a 5xx, then the answer", func(t *testing.T) {
		api := newFakeAPI(t, "bad_gateway.html", "bad_gateway.html", "getsmsstatus.json")
		api.status = []int{502, 503}
		s, err := api.client().SMSStatus(ctx, 22074698)
		require.NoError(t, err)
		assert.Equal(t, smsgw24.StatusPending, s)
		assert.Len(t, api.requests(), 3)
	})
	t.Run("5xx every time: the last error after Retries", func(t *testing.T) {
		api := newFakeAPI(t, "bad_gateway.html")
		api.status = []int{500, 500, 500, 500, 500, 500}
		c := api.client()
		c.Retries = 2
		_, err := c.Devices(ctx)
		var ae *smsgw24.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 500, ae.HTTPStatus)
		assert.Len(t, api.requests(), 3)
	})
	t.Run("an error answer under 200 is not retried", func(t *testing.T) {
		api := newFakeAPI(t, "error_login.json")
		_, err := api.client().Messages(ctx, smsgw24.MessageQuery{})
		require.Error(t, err)
		assert.Len(t, api.requests(), 1)
	})
	t.Run("negative Retries: never", func(t *testing.T) {
		api := newFakeAPI(t, "bad_gateway.html")
		api.status = []int{500, 500}
		c := api.client()
		c.Retries = -1
		_, err := c.DeviceStatus(ctx, 260)
		require.Error(t, err)
		assert.Len(t, api.requests(), 1)
	})
	t.Run("sending methods are never retried", func(t *testing.T) {
		calls := map[string]func(*smsgw24.Client) error{
			"addsms": func(c *smsgw24.Client) error {
				_, err := c.SendSMS(ctx, smsgw24.SMS{To: "+1", Body: "b", DeviceID: 1})
				return err
			},
			"addalotofsms": func(c *smsgw24.Client) error {
				return c.SendBulk(ctx, []smsgw24.SMS{{To: "+1", Body: "b", DeviceID: 1}})
			},
			"addsmstosenderid": func(c *smsgw24.Client) error {
				return c.SendTemplate(ctx, smsgw24.TemplateSMS{To: "+1", SenderID: "s", TemplateID: "t"})
			},
			"savetag": func(c *smsgw24.Client) error { _, err := c.SaveTag(ctx, "t"); return err },
			"savecontact": func(c *smsgw24.Client) error {
				_, err := c.SaveContact(ctx, smsgw24.Contact{Phone: "+1", TagID: 1})
				return err
			},
			"savepaket": func(c *smsgw24.Client) error {
				_, err := c.SaveNewsletter(ctx, smsgw24.Newsletter{Title: "t", Body: "b", DeviceID: 1, TagIDs: []int64{1}})
				return err
			},
		}
		for method, call := range calls {
			api := newFakeAPI(t, "bad_gateway.html")
			api.status = []int{503, 503}
			var ae *smsgw24.APIError
			require.ErrorAs(t, call(api.client()), &ae, method)
			assert.Equal(t, method, ae.Method)
			assert.Len(t, api.requests(), 1, method)
		}
	})
	t.Run("a network error is retried", func(t *testing.T) {
		api := newFakeAPI(t, "getsmsstatus.json")
		var n int
		c := api.client()
		c.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if n++; n == 1 {
				return nil, errors.New("connection reset by peer")
			}
			return http.DefaultTransport.RoundTrip(r)
		})}
		s, err := c.SMSStatus(ctx, 1)
		require.NoError(t, err)
		assert.Equal(t, smsgw24.StatusPending, s)
		assert.Equal(t, 2, n)
	})
	t.Run("the context ends the pause before a retry", func(t *testing.T) {
		api := newFakeAPI(t, "bad_gateway.html")
		api.status = []int{500, 500, 500, 500}
		c := api.client()
		cctx, cancel := context.WithCancel(ctx)
		c.Backoff = func(int) time.Duration { cancel(); return time.Hour }
		_, err := c.SMSStatus(cctx, 1)
		require.ErrorIs(t, err, context.Canceled)
		var ae *smsgw24.APIError
		assert.ErrorAs(t, err, &ae, "the last failure is kept")
		assert.Len(t, api.requests(), 1)
	})
}

func TestClientFollowsNoRedirectToAnotherHost(t *testing.T) {
	target := newFakeAPI(t, "addsms.json")
	redirect := httptest.NewServer(http.RedirectHandler(target.srv.URL+"/getdata/addsms", http.StatusPermanentRedirect))
	defer redirect.Close()
	c := &smsgw24.Client{Token: "t", BaseURL: redirect.URL + "/getdata/"}
	_, err := c.SendSMS(ctx, smsgw24.SMS{To: "+1", Body: "b", DeviceID: 1})
	require.Error(t, err)
	assert.Empty(t, target.requests(), "the body with the token went nowhere else")

	same := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old/addsms" {
			http.Redirect(w, r, "/getdata/addsms", http.StatusPermanentRedirect)
			return
		}
		_, _ = w.Write(answerFile(t, "addsms.json"))
	}))
	defer same.Close()
	c.BaseURL = same.URL + "/old/"
	id, err := c.SendSMS(ctx, smsgw24.SMS{To: "+1", Body: "b", DeviceID: 1})
	require.NoError(t, err, "a redirect on the same host is followed")
	assert.Equal(t, int64(22074938), id)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestClientErrorsHoldNoSecret puts the token and the password everywhere
// an error could pick them up, and looks for them in every error's text.
func TestClientErrorsHoldNoSecret(t *testing.T) {
	const token, password = "T0kenSecret+/=", "Pa55word+Secret"
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		// An answer that echoes what it was sent, as a careless error page might.
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(`{"error":1,"message":"bad token ` + r.Form.Get("token") + ` or password ` + r.Form.Get("pass") + ` in ` + r.URL.String() + `"}`))
	}))
	defer echo.Close()
	closed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		_ = conn.Close()
	}))
	defer closed.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	refused := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())

	bases := map[string]string{
		"an answer that echoes them":       echo.URL + "/getdata/?token=" + token,
		"a connection closed":              closed.URL + "/getdata/?token=" + token + "&pass=" + password,
		"a connection refused":             refused + "/getdata/?token=" + token,
		"a URL with the token as password": "http://user:" + token + "@" + ln.Addr().String() + "/getdata/",
		"a redirect to a URL with it": httptest.NewServer(http.RedirectHandler(echo.URL+"/getdata/x?token="+token,
			http.StatusTemporaryRedirect)).URL + "/getdata/",
	}
	for what, base := range bases {
		c := &smsgw24.Client{Token: token, BaseURL: base, Retries: 1, Backoff: func(int) time.Duration { return 0 }}
		errs := []error{}
		_, err := c.GetToken(ctx, "me@example.com", password)
		errs = append(errs, err)
		_, err = c.SendSMS(ctx, smsgw24.SMS{To: "+1", Body: token, DeviceID: 1})
		errs = append(errs, err)
		_, err = c.Devices(ctx)
		errs = append(errs, err)
		err = c.SendBulk(ctx, []smsgw24.SMS{{To: "+1", Body: "b", DeviceID: 1}})
		errs = append(errs, err)
		for i, err := range errs {
			require.Error(t, err, "%s, call %d", what, i)
			for e := err; e != nil; e = errors.Unwrap(e) {
				for _, secret := range []string{token, password, "T0kenSecret", "Pa55word"} {
					assert.NotContains(t, e.Error(), secret, "%s, call %d", what, i)
				}
			}
		}
	}
	_, err = (&smsgw24.Client{Token: token, BaseURL: "::" + token}).Devices(ctx)
	require.ErrorIs(t, err, smsgw24.ErrInvalidRequest)
	assert.False(t, strings.Contains(err.Error(), "T0kenSecret"))
}
