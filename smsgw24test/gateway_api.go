// gateway_api.go holds the frame of the Gateway's REST API: ServeHTTP, which
// reads a method's parameters (a form, a query, multipart, or a JSON body),
// checks the token and calls the method; gettoken; and the shapes the real
// API answers in (its error envelope, PHP DateTime objects, collections
// keyed by id). The methods are in gateway_api_sms.go and
// gateway_api_account.go.

package smsgw24test

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// params are a request's parameters, by name.
type params struct {
	values map[string]string
	json   map[string]any // a JSON body, for the values that are objects
}

func (p params) get(name string) string { return strings.TrimSpace(p.values[name]) }

// int reads a whole number; ok is false when it is absent, err set when it
// is not a number.
func (p params) int(name string) (n int64, ok bool, err error) {
	v := p.get(name)
	if v == "" {
		return 0, false, nil
	}
	n, err = strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("%s is not a number", name)
	}
	return n, true, nil
}

// readParams reads a form, a query, a multipart body or a JSON body.
func readParams(r *http.Request) (params, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return params{}, errors.New("the request body cannot be read")
	}
	p := params{values: map[string]string{}}
	for name, vs := range r.URL.Query() {
		p.values[name] = vs[0]
	}
	if t := bytes.TrimSpace(body); len(t) > 0 && t[0] == '{' {
		dec := json.NewDecoder(bytes.NewReader(t))
		dec.UseNumber()
		if err := dec.Decode(&p.json); err != nil {
			return params{}, errors.New("the JSON body cannot be read")
		}
		for name, v := range p.json {
			switch v := v.(type) {
			case string:
				p.values[name] = v
			case json.Number:
				p.values[name] = v.String()
			case bool:
				p.values[name] = strconv.FormatBool(v)
			}
		}
		return p, nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err := r.ParseMultipartForm(10 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return params{}, errors.New("the form cannot be read")
	}
	for name, vs := range r.Form {
		p.values[name] = vs[0]
	}
	return p, nil
}

// writeAnswer writes v as the API writes an answer: JSON.
func writeAnswer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fail writes the API's error envelope.
func fail(w http.ResponseWriter, status int, message string) {
	writeAnswer(w, status, map[string]any{"error": 1, "message": message})
}

// ServeHTTP serves the REST API at /getdata/METHOD, for any HTTP method,
// as the real API does; and, for work by hand, POST /simulate/text and
// /simulate/image, which take the token, an address, a body (or img_url),
// and optionally device_id and channel_id, and make that message arrive
// as [Gateway.InjectText] and [Gateway.InjectImage] do.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/getdata/")
	kind, simulated := strings.CutPrefix(r.URL.Path, "/simulate/")
	if (!ok && !simulated) || (ok && (method == "" || strings.Contains(method, "/"))) {
		fail(w, http.StatusNotFound, "Method not found")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 10<<20)
	p, err := readParams(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	if simulated {
		g.simulate(w, kind, p)
		return
	}
	if method == "gettoken" {
		g.getToken(w, p)
		return
	}
	token := p.get("token")
	if method == "addalotofsms" && token == "" {
		var data struct{ Token string }
		_ = json.Unmarshal([]byte(p.values["datajson"]), &data)
		token = data.Token
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(g.opts.Token)) != 1 {
		fail(w, http.StatusOK, "Token not found")
		return
	}
	handlers := map[string]func(http.ResponseWriter, params){
		"addsms":           g.addSMS,
		"addalotofsms":     g.addBulk,
		"getsmsstatus":     g.getSMSStatus,
		"getallsms":        g.getAllSMS,
		"getalldevices":    g.getAllDevices,
		"getdevicestatus":  g.getDeviceStatus,
		"savetag":          g.saveTag,
		"savecontact":      g.saveContact,
		"savepaket":        g.saveNewsletter,
		"addsmstosenderid": g.addTemplate,
	}
	h, ok := handlers[method]
	if !ok {
		fail(w, http.StatusNotFound, "Method not found")
		return
	}
	h(w, p)
}

func (g *Gateway) getToken(w http.ResponseWriter, p params) {
	email, pass := p.get("email"), p.values["pass"]
	if g.opts.Email == "" || g.opts.Password == "" ||
		subtle.ConstantTimeCompare([]byte(email), []byte(g.opts.Email)) != 1 ||
		subtle.ConstantTimeCompare([]byte(pass), []byte(g.opts.Password)) != 1 {
		fail(w, http.StatusOK, "Login or password incorrect")
		return
	}
	writeAnswer(w, http.StatusOK, map[string]any{"error": 0, "message": "OK", "token": g.opts.Token})
}

// phpDate writes t as the API does: a PHP DateTime object in loc, with an
// offset (timezone_type 1) or a zone name (3); null for a zero time.
func phpDate(t time.Time, loc *time.Location) any {
	if t.IsZero() {
		return nil
	}
	t = t.In(loc)
	obj := struct {
		Date         string `json:"date"`
		TimezoneType int    `json:"timezone_type"`
		Timezone     string `json:"timezone"`
	}{t.Format("2006-01-02 15:04:05.000000"), 3, loc.String()}
	if name := loc.String(); name == "" || name[0] == '+' || name[0] == '-' {
		obj.TimezoneType, obj.Timezone = 1, t.Format("-07:00")
	}
	return obj
}

// collection writes entries keyed by id, as PHP writes an array with keys,
// or [] when there are none.
func collection(entries map[string]any) any {
	if len(entries) == 0 {
		return []any{}
	}
	return entries
}
