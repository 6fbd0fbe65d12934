// messages.go holds the client's methods that ask about sent messages:
// SMSStatus (getsmsstatus), Messages and CountMessages (getallsms), with
// the MessageQuery they take and the Message they return.

package smsgw24

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SMSStatus asks for the current status of the message smsID (getsmsstatus).
// It is retried after a network error or a 5xx answer (see [Client]).
func (c *Client) SMSStatus(ctx context.Context, smsID int64) (Status, error) {
	form, err := c.tokenForm()
	if err != nil {
		return 0, err
	}
	if smsID <= 0 {
		return 0, invalid("sms_id", "SMSStatus's smsID", "must be more than 0")
	}
	form.Set("sms_id", strconv.FormatInt(smsID, 10))
	ans, err := c.call(ctx, "getsmsstatus", formRequest(form), true)
	if err != nil {
		return 0, err
	}
	f, _ := ans.fields.get("status")
	s, ok := statusValue(&f)
	if !ok || s == 0 {
		return 0, ans.missing("status")
	}
	return s, nil
}

// MessageQuery selects the messages that [Client.Messages] returns and
// [Client.CountMessages] counts (getallsms). Its zero value selects every
// message of the account.
type MessageQuery struct {
	DeviceID   int64     `param:"device_id" validate:"gte=0"`  // device_id; 0: all
	Status     Status    `param:"status" validate:"gte=0"`     // status; 0: all
	Since      time.Time `param:"begindate"`                   // begindate, sent as UTC; zero: not sent
	Until      time.Time `param:"enddate"`                     // enddate, sent as UTC; zero: not sent
	CustomerID int64     `param:"customerid" validate:"gte=0"` // customerid; 0: all
	Phone      string    `param:"phone"`                       // phone; "": all

	// Channel, if set, selects the messages of one slot (sim); nil: all.
	Channel *Channel `param:"sim" validate:"omitempty,gte=0,lte=5"`
	// Descending asks for the newest first (orderbydesc=1), and
	// [Client.Messages] returns them by ID from the highest down.
	Descending bool `param:"orderbydesc"`
	// TimeZone is a zone name such as "Australia/Sydney" that the API
	// writes the answer's dates in (timezone); "": the account's. The
	// client returns every time in UTC whatever it is.
	TimeZone string `param:"timezone" validate:"omitempty,timezone"`
}

func (q *MessageQuery) params(form url.Values) {
	setInt := func(name string, v int64) {
		if v != 0 {
			form.Set(name, strconv.FormatInt(v, 10))
		}
	}
	setInt("device_id", q.DeviceID)
	setInt("status", int64(q.Status))
	setInt("customerid", q.CustomerID)
	if !q.Since.IsZero() {
		form.Set("begindate", q.Since.UTC().Format(apiTimeLayout))
	}
	if !q.Until.IsZero() {
		form.Set("enddate", q.Until.UTC().Format(apiTimeLayout))
	}
	if q.Phone != "" {
		form.Set("phone", q.Phone)
	}
	if q.Channel != nil {
		form.Set("sim", strconv.Itoa(int(*q.Channel)))
	}
	if q.Descending {
		form.Set("orderbydesc", "1")
	}
	if q.TimeZone != "" {
		form.Set("timezone", q.TimeZone)
	}
}

// Message is one message of the account as getallsms lists it
// ([Client.Messages]). Its times are in UTC.
type Message struct {
	ID         int64
	To         string    // sendto
	Body       string    // body
	CustomerID int64     // customerid; 0 when null
	Status     Status    // status
	StatusText string    // statustitle
	DeviceID   int64     // deviceid
	Urgent     bool      // true when the answer says true or 1
	Created    time.Time // created, in UTC
	SentTime   time.Time // senttime; zero when null
	SendAt     time.Time // timetosend
	Channel    Channel   // sim
}

// Messages lists the messages that q selects (getallsms), ordered by ID:
// ascending, or descending with [MessageQuery.Descending]. It is retried
// after a network error or a 5xx answer (see [Client]).
func (c *Client) Messages(ctx context.Context, q MessageQuery) ([]Message, error) {
	ans, err := c.queryMessages(ctx, q, false)
	if err != nil {
		return nil, err
	}
	f, _ := ans.fields.get("smss")
	keys, entries := ans.reader.entries(f)
	out := make([]Message, 0, len(entries))
	for i, e := range entries {
		out = append(out, ans.reader.message(keys[i], e))
	}
	byID(out, func(m *Message) int64 { return m.ID })
	if q.Descending {
		slices.Reverse(out)
	}
	return out, nil
}

// CountMessages counts the messages that q selects without listing them
// (getallsms with onlycount=1). It is retried after a network error or a
// 5xx answer (see [Client]).
func (c *Client) CountMessages(ctx context.Context, q MessageQuery) (int64, error) {
	ans, err := c.queryMessages(ctx, q, true)
	if err != nil {
		return 0, err
	}
	f, _ := ans.fields.get("count")
	n, ok := wholeValue(&f)
	if !ok || n < 0 {
		return 0, ans.missing("count")
	}
	return n, nil
}

func (c *Client) queryMessages(ctx context.Context, q MessageQuery, onlyCount bool) (*answer, error) {
	form, err := c.tokenForm()
	if err != nil {
		return nil, err
	}
	if err := checkRequest(q, "", ""); err != nil {
		return nil, err
	}
	q.params(form)
	if onlyCount {
		form.Set("onlycount", "1")
	}
	return c.call(ctx, "getallsms", formRequest(form), true)
}

// message reads one entry of smss; key is its id where the entry has none.
func (ar *answerReader) message(key string, e answerFields) Message {
	m := Message{
		ID:         e.whole("id"),
		To:         phoneNumber([]byte(e.text("sendto"))),
		Body:       e.text("body"),
		CustomerID: e.whole("customerid"),
		StatusText: strings.TrimSpace(e.text("statustitle")),
		DeviceID:   e.whole("deviceid"),
		Urgent:     e.flag("urgent"),
		Created:    ar.time(e, "created"),
		SentTime:   ar.time(e, "senttime"),
		SendAt:     ar.time(e, "timetosend"),
		Channel:    Channel(e.whole("sim")),
	}
	if m.ID == 0 {
		m.ID, _ = parseWhole([]byte(key))
	}
	if m.DeviceID == 0 {
		m.DeviceID = e.whole("device_id")
	}
	if f, ok := e.get("status"); ok {
		m.Status, _ = statusValue(&f)
	}
	return m
}
