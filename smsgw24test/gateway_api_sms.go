// gateway_api_sms.go holds the Gateway's API methods that send and report
// messages: addsms, addalotofsms and addsmstosenderid, which accept them,
// and getsmsstatus and getallsms, which report each one's status as its
// lifecycle goes.

package smsgw24test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/go-smsgw24/smsgw24"
)

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
