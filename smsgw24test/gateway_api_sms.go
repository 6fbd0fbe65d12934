// gateway_api.go holds the REST API of Gateway: how it reads a method's
// parameters (a form, a query, multipart, or a JSON body), checks the token,
// and answers each method in the shapes the real API answers in.

package smsgw24test

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/go-smsgw24/smsgw24"
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

// apiTimeLayouts are the formats the API reads a time in, as UTC.
var apiTimeLayouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"}

func parseAPITime(v string) (time.Time, error) {
	for _, layout := range apiTimeLayouts {
		if t, err := time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", v)
}

// newMessage reads the parameters of one message, as addsms and each
// entry of addalotofsms carry them. g.mu is held.
func (g *Gateway) newMessage(p params) (*smsgw24.Message, error) {
	m := &smsgw24.Message{To: p.get("sendto"), Body: p.values["body"], Status: smsgw24.StatusPending,
		StatusText: "New", Created: time.Now().UTC().Truncate(time.Second)}
	m.SendAt = m.Created
	switch {
	case m.To == "":
		return nil, errors.New("sendto is empty")
	case m.Body == "":
		return nil, errors.New("body is empty")
	}
	deviceID, ok, err := p.int("device_id")
	if err != nil || !ok {
		return nil, errors.New("device_id is empty or not a number")
	}
	if g.device(deviceID) == nil {
		return nil, errors.New("device not found")
	}
	m.DeviceID = deviceID
	sim, _, err := p.int("sim")
	if err != nil || sim < 0 || sim > 5 {
		return nil, errors.New("sim is out of range")
	}
	m.Channel = smsgw24.Channel(sim)
	if v := p.get("timetosend"); v != "" {
		if m.SendAt, err = parseAPITime(v); err != nil {
			return nil, err
		}
	}
	if m.CustomerID, _, err = p.int("customerid"); err != nil {
		return nil, err
	}
	m.Urgent = p.get("urgent") == "1" || p.get("urgent") == "true"
	return m, nil
}

// keep gives m an id and queues its lifecycle. g.mu is held.
func (g *Gateway) keep(m *smsgw24.Message) {
	g.lastID++
	m.ID = g.lastID
	g.messages = append(g.messages, m)
	g.accept(m)
}

func (g *Gateway) addSMS(w http.ResponseWriter, p params) {
	g.mu.Lock()
	defer g.mu.Unlock()
	m, err := g.newMessage(p)
	if err != nil {
		fail(w, http.StatusOK, err.Error())
		return
	}
	g.keep(m)
	writeAnswer(w, http.StatusOK, map[string]any{"error": 0, "sms_id": m.ID, "message": "Sms has been saved successfully"})
}

func (g *Gateway) addBulk(w http.ResponseWriter, p params) {
	var data struct {
		SMSData []map[string]any `json:"smsdata"`
	}
	dec := json.NewDecoder(strings.NewReader(p.values["datajson"]))
	dec.UseNumber()
	if err := dec.Decode(&data); err != nil || len(data.SMSData) == 0 {
		fail(w, http.StatusOK, "datajson holds no smsdata")
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	var ms []*smsgw24.Message
	for i, entry := range data.SMSData {
		ep := params{values: map[string]string{}}
		for name, v := range entry {
			if v != nil {
				ep.values[name] = fmt.Sprint(v)
			}
		}
		m, err := g.newMessage(ep)
		if err != nil {
			fail(w, http.StatusOK, fmt.Sprintf("smsdata %d: %v", i, err))
			return
		}
		ms = append(ms, m)
	}
	for _, m := range ms {
		g.keep(m)
	}
	writeAnswer(w, http.StatusOK, map[string]any{"error": 0, "message": "Sms has been saved successfully"})
}

// message returns the message id, or nil. g.mu is held.
func (g *Gateway) message(id int64) *smsgw24.Message {
	for _, m := range g.messages {
		if m.ID == id {
			return m
		}
	}
	return nil
}

func (g *Gateway) getSMSStatus(w http.ResponseWriter, p params) {
	g.mu.Lock()
	defer g.mu.Unlock()
	id, _, _ := p.int("sms_id")
	m := g.message(id)
	if m == nil {
		fail(w, http.StatusOK, "Sms not found")
		return
	}
	writeAnswer(w, http.StatusOK, map[string]any{"error": 0, "sms_id": m.ID, "status": int(m.Status),
		"status_description": m.Status.Message(language.English), "message": "Ok"})
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

func (g *Gateway) getAllSMS(w http.ResponseWriter, p params) {
	loc := g.loc
	if name := p.get("timezone"); name != "" {
		l, err := time.LoadLocation(name)
		if err != nil {
			fail(w, http.StatusOK, "timezone is not a time zone")
			return
		}
		loc = l
	}
	var filters []func(*smsgw24.Message) bool
	for _, name := range []string{"device_id", "status", "sim", "customerid"} {
		want, ok, err := p.int(name)
		if err != nil {
			fail(w, http.StatusOK, err.Error())
			return
		}
		if !ok {
			continue
		}
		filters = append(filters, func(m *smsgw24.Message) bool {
			return map[string]int64{"device_id": m.DeviceID, "status": int64(m.Status), "sim": int64(m.Channel), "customerid": m.CustomerID}[name] == want
		})
	}
	for _, name := range []string{"begindate", "enddate"} {
		v := p.get(name)
		if v == "" {
			continue
		}
		bound, err := parseAPITime(v)
		if err != nil {
			fail(w, http.StatusOK, name+" is not a date")
			return
		}
		after := name == "begindate"
		filters = append(filters, func(m *smsgw24.Message) bool {
			return (after && !m.Created.Before(bound)) || (!after && !m.Created.After(bound))
		})
	}
	if phone := p.get("phone"); phone != "" {
		filters = append(filters, func(m *smsgw24.Message) bool { return strings.Contains(m.To, phone) })
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	entries := map[string]any{}
	count := 0
	for _, m := range g.messages {
		if !slices.ContainsFunc(filters, func(f func(*smsgw24.Message) bool) bool { return !f(m) }) {
			count++
			entries[strconv.FormatInt(m.ID, 10)] = g.messageEntry(m, loc)
		}
	}
	answer := map[string]any{"error": 0, "count": count, "message": "Ok"}
	if p.get("onlycount") != "1" {
		answer["smss"] = collection(entries)
	}
	writeAnswer(w, http.StatusOK, answer)
}

// messageEntry writes one entry of getallsms's smss.
func (g *Gateway) messageEntry(m *smsgw24.Message, loc *time.Location) map[string]any {
	var customerID, urgent any
	if m.CustomerID != 0 {
		customerID = m.CustomerID
	}
	if m.Urgent {
		urgent = true
	}
	return map[string]any{"id": m.ID, "sendto": m.To, "body": m.Body, "customerid": customerID, "status": int(m.Status),
		"statustitle": m.StatusText, "deviceid": m.DeviceID, "urgent": urgent, "created": phpDate(m.Created, loc),
		"senttime": phpDate(m.SentTime, loc), "timetosend": phpDate(m.SendAt, loc), "sim": int(m.Channel),
		"paketid": nil, "pakettitle": nil, "paketbody": nil}
}

// getAllDevices answers as the real API does: without error or message.
func (g *Gateway) getAllDevices(w http.ResponseWriter, _ params) {
	g.mu.Lock()
	defer g.mu.Unlock()
	entries := map[string]any{}
	for _, d := range g.devices {
		sims := []any{}
		for _, s := range d.SIMs {
			roaming := "0"
			if s.Roaming {
				roaming = "1"
			}
			sims = append(sims, map[string]any{"Slot": strconv.Itoa(s.Slot), "IccId": s.ICCID, "Number": s.Number,
				"Roaming": roaming, "CountryIso": s.CountryISO, "CarrierName": s.Carrier})
		}
		var number any
		if d.Number != "" {
			number = d.Number
		}
		imei := d.IMEI
		if imei == "" {
			imei = "null"
		}
		entries[strconv.FormatInt(d.ID, 10)] = map[string]any{"id": d.ID, "title": d.Title, "number": number, "imei": imei,
			"created": phpDate(d.Created, time.UTC), "lastseen": phpDate(d.LastSeen, time.UTC), "siminfo": sims,
			"appversion": d.AppVersion, "subscription": d.Subscribed}
	}
	writeAnswer(w, http.StatusOK, map[string]any{"count": len(g.devices), "device": collection(entries)})
}

func (g *Gateway) getDeviceStatus(w http.ResponseWriter, p params) {
	g.mu.Lock()
	defer g.mu.Unlock()
	id, _, _ := p.int("device_id")
	d := g.device(id)
	if d == nil {
		fail(w, http.StatusOK, "Device not found")
		return
	}
	since := time.Since(d.LastSeen)
	writeAnswer(w, http.StatusOK, map[string]any{"online": since < 5*time.Minute, "error": 0, "message": "OK", "device_id": d.ID,
		"lastseen": phpDate(d.LastSeen, g.loc), "diffseconds": int64(since.Seconds()), "title": d.Title})
}

func (g *Gateway) saveTag(w http.ResponseWriter, p params) {
	title := p.get("title")
	if title == "" {
		fail(w, http.StatusOK, "title is empty")
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.tags = append(g.tags, title)
	writeAnswer(w, http.StatusOK, map[string]any{"error": 0, "message": "Ok", "tag_id": len(g.tags)})
}

// tagExists reports whether id is a saved tag. g.mu is held.
func (g *Gateway) tagExists(id int64) bool { return id > 0 && id <= int64(len(g.tags)) }

func (g *Gateway) saveContact(w http.ResponseWriter, p params) {
	g.mu.Lock()
	defer g.mu.Unlock()
	tagID, _, _ := p.int("tag_id")
	ct := smsgw24.Contact{Phone: p.get("phone"), Name: p.get("fullname"), TagID: tagID}
	switch {
	case ct.Phone == "":
		fail(w, http.StatusOK, "phone is empty")
		return
	case !g.tagExists(tagID):
		fail(w, http.StatusOK, "Tag not found")
		return
	}
	g.contacts = append(g.contacts, ct)
	writeAnswer(w, http.StatusOK, map[string]any{"error": 0, "message": "Ok", "contact_id": len(g.contacts)})
}

func (g *Gateway) saveNewsletter(w http.ResponseWriter, p params) {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := smsgw24.Newsletter{Title: p.get("title"), Body: p.values["body"]}
	n.DeviceID, _, _ = p.int("device_id")
	sim, _, _ := p.int("sim")
	n.Channel = smsgw24.Channel(sim)
	for v := range strings.SplitSeq(p.get("tags"), ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || !g.tagExists(id) {
			fail(w, http.StatusOK, "Tag not found")
			return
		}
		n.TagIDs = append(n.TagIDs, id)
	}
	switch {
	case n.Title == "" || n.Body == "":
		fail(w, http.StatusOK, "title or body is empty")
		return
	case g.device(n.DeviceID) == nil:
		fail(w, http.StatusOK, "Device not found")
		return
	}
	g.newsletters = append(g.newsletters, n)
	writeAnswer(w, http.StatusOK, map[string]any{"error": 0, "message": "Ok", "paket_id": len(g.newsletters)})
}

func (g *Gateway) addTemplate(w http.ResponseWriter, p params) {
	t := smsgw24.TemplateSMS{To: p.get("send_to"), SenderID: p.get("sender_id"), TemplateID: p.get("template_id"),
		CallbackURL: p.get("webhook_callback_url")}
	if data, ok := p.json["template_data"].(map[string]any); ok {
		t.Data = map[string]string{}
		for k, v := range data {
			t.Data[k] = fmt.Sprint(v)
		}
	}
	if t.To == "" || t.SenderID == "" || t.TemplateID == "" {
		fail(w, http.StatusOK, "send_to, sender_id and template_id are required")
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.templates = append(g.templates, t)
	writeAnswer(w, http.StatusOK, map[string]any{"error": 0, "message": "OK"})
}
