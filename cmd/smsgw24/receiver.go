// receiver.go holds the receiver behind listen and demo: a smsgw24.Handler
// whose callbacks print each event, and whose rejects are printed with their
// reason, as readable lines or JSON objects; the HTTP server it runs on; and
// the user's language, read from the locale.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/text/language"

	"github.com/go-smsgw24/smsgw24"
)

// receiver prints what its Handler receives. It is safe for concurrent use.
type receiver struct {
	out    io.Writer
	json   bool         // one JSON object per line, instead of text
	lang   language.Tag // the language of status descriptions
	clock  func() time.Time
	mu     sync.Mutex
	events int // events printed
	reject int // rejects printed
}

// handler returns the Handler that feeds r; with a token, it verifies it,
// and without one it accepts every request.
func (r *receiver) handler(token string) *smsgw24.Handler {
	h := &smsgw24.Handler{
		OnEvent: func(_ context.Context, ev smsgw24.Event) error {
			r.printEvent(ev)
			return nil
		},
		OnError: r.printReject,
		// Rejects are printed by OnError; the Handler's own log would say
		// the same again on stderr.
		Logger: slog.New(slog.DiscardHandler),
	}
	if token != "" {
		h.Verifier = smsgw24.Token(token)
	} else {
		h.Verifier = acceptEveryRequest
	}
	return h
}

// acceptEveryRequest is the Verifier without a token: listen allows it on
// a loopback address, or elsewhere when told -insecure.
var acceptEveryRequest = smsgw24.VerifierFunc(func(*http.Request, []byte) error { return nil })

// counts returns how many events and rejects were printed.
func (r *receiver) counts() (events, rejects int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.events, r.reject
}

func (r *receiver) printEvent(ev smsgw24.Event) {
	var line []byte
	if r.json {
		line = jsonLine(struct {
			Kind  smsgw24.Kind  `json:"kind"`
			Event smsgw24.Event `json:"event"`
		}{ev.Kind(), ev})
	} else {
		line = []byte(r.stamp() + eventLine(ev, r.lang) + "\n")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events++
	_, _ = r.out.Write(line)
}

// printReject prints a request the Handler did not accept. Only the path of
// the URL is printed: its query holds the token.
func (r *receiver) printReject(req *http.Request, status int, err error) {
	var line []byte
	if r.json {
		line = jsonLine(struct {
			Kind       string `json:"kind"`
			HTTPStatus int    `json:"http_status"`
			Error      string `json:"error"`
			Method     string `json:"method"`
			Path       string `json:"path"`
		}{"rejected", status, err.Error(), req.Method, req.URL.Path})
	} else {
		line = fmt.Appendf(nil, "%srejected %d %s %s: %v\n", r.stamp(), status, req.Method, quoteIfNeeded(req.URL.Path), err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reject++
	_, _ = r.out.Write(line)
}

func (r *receiver) stamp() string {
	if r.clock == nil {
		return ""
	}
	return r.clock().Format(time.TimeOnly) + " "
}

// jsonLine writes v as one line of JSON, leaving <, > and & as they are.
func jsonLine(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// The events' MarshalJSON cannot fail; say so on the line if it did.
		return fmt.Appendf(nil, `{"kind":"error","error":%q}`+"\n", err.Error())
	}
	return b.Bytes()
}

// eventLine describes ev on one line: kind, ids, channel, status with its
// description in lang, sender or recipient, and text.
//
//	status sms_id=3281467 device_id=12345 channel=sim2 status=7 delivered "Zugestellt" to=+4915112345678 …
//	text   sms_id=9911204 device_id=12345 device_name="Redmi Note" channel=sim2 from=+79001234567 … body="Привет"
func eventLine(ev smsgw24.Event, lang language.Tag) string {
	var b strings.Builder
	kv := func(key, value string) {
		b.WriteString(" " + key + "=" + value)
	}
	num := func(key string, v int64) {
		if v != 0 {
			kv(key, strconv.FormatInt(v, 10))
		}
	}
	str := func(key, v string) {
		if v != "" {
			kv(key, quoteIfNeeded(v))
		}
	}
	date := func(key string, t time.Time) {
		if !t.IsZero() {
			kv(key, t.Format(time.RFC3339Nano))
		}
	}
	var extra smsgw24.Extra
	fmt.Fprintf(&b, "%-6s sms_id=%d", ev.Kind(), ev.ID())
	switch e := ev.(type) {
	case *smsgw24.StatusUpdate:
		num("device_id", e.DeviceID)
		kv("channel", e.Channel.String())
		kv("status", fmt.Sprintf("%d %s %s", int(e.Status), e.Status, strconv.Quote(e.Status.Message(lang))))
		str("to", e.SendTo)
		date("sent", e.SentTime)
		str("message", e.StatusMessage)
		extra = e.Extra
	case *smsgw24.TextMessage:
		num("device_id", e.DeviceID)
		str("device_name", e.DeviceName)
		num("internal_id", e.InternalID)
		kv("channel", e.Channel.String())
		str("from", e.Address)
		date("date", e.Date)
		kv("body", strconv.Quote(e.Body))
		extra = e.Extra
	case *smsgw24.ImageMessage:
		num("device_id", e.DeviceID)
		str("device_name", e.DeviceName)
		num("internal_id", e.InternalID)
		kv("channel", e.Channel.String())
		str("from", e.Address)
		date("date", e.Date)
		str("img_url", e.ImageURL)
		kv("body", strconv.Quote(e.Body))
		extra = e.Extra
	}
	if len(extra) > 0 {
		names := make([]string, 0, len(extra))
		for name := range extra {
			names = append(names, name)
		}
		slices.Sort(names)
		kv("extra", quoteIfNeeded(strings.Join(names, ",")))
	}
	return b.String()
}

// quoteIfNeeded quotes s when it is empty or holds a space, a quote, an
// equals sign or a character that does not print, so that each value stays
// one word of the line.
func quoteIfNeeded(s string) string {
	if s == "" || strings.ContainsFunc(s, func(c rune) bool {
		return c == '"' || c == '=' || c == '\\' || unicode.IsSpace(c) || !unicode.IsPrint(c)
	}) {
		return strconv.Quote(s)
	}
	return s
}

// localeLanguage returns the language of the user's locale: the first of
// LC_ALL, LC_MESSAGES and LANG that is set, such as "de_DE.UTF-8" (de-DE).
// "C", "POSIX", nothing, or a name it cannot read give English.
func localeLanguage(getenv func(string) string) language.Tag {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			return parseLocale(v)
		}
	}
	return language.English
}

// parseLocale reads a POSIX locale name, language[_territory][.codeset][@modifier].
func parseLocale(v string) language.Tag {
	v, _, _ = strings.Cut(v, ".")
	v, _, _ = strings.Cut(v, "@")
	if v == "" || v == "C" || v == "POSIX" {
		return language.English
	}
	tag, err := language.Parse(strings.ReplaceAll(v, "_", "-"))
	if err != nil {
		return language.English
	}
	return tag
}

// newServer returns a server for h with timeouts, so that a slow or stuck
// client cannot hold a connection.
func newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
}

// serve runs srv on ln until ctx ends, then shuts it down, giving the
// requests in flight a few seconds to finish.
func serve(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(stopCtx)
	<-errc // http.ErrServerClosed, once Serve has returned
	return err
}
