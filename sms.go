// sms.go holds the client's methods that send messages: SendSMS (addsms),
// SendBulk (addalotofsms) and SendTemplate (addsmstosenderid), with the
// SMS and TemplateSMS they send and how each is written on the wire.

package smsgw24

import (
	"context"
	"net/url"
	"strconv"
	"time"
)

// apiTimeLayout is how the API reads a time: UTC, without a zone.
const apiTimeLayout = "2006-01-02 15:04:05"

// SMS is one message to send through a device of the account, with
// [Client.SendSMS] or [Client.SendBulk].
type SMS struct {
	To         string    `param:"sendto" validate:"required"`  // sendto: a number, or several separated by commas
	Body       string    `param:"body" validate:"required"`    // body
	DeviceID   int64     `param:"device_id" validate:"gt=0"`   // device_id
	Channel    Channel   `param:"sim" validate:"gte=0,lte=5"`  // sim: [ChannelSIM1] (0), [ChannelSIM2] (1), [ChannelWhatsAppBusiness] (2), [ChannelWhatsApp] (3); 4 and 5 are RCS
	SendAt     time.Time `param:"timetosend"`                  // timetosend, sent as UTC "2006-01-02 15:04:05"; zero: not sent
	CustomerID int64     `param:"customerid" validate:"gte=0"` // customerid, your own id of the message; 0: not sent
	Urgent     bool      `param:"urgent"`                      // urgent=1, sent before others (for one-time codes); false: not sent
}

// params writes m's parameters, leaving out the unset options.
func (m *SMS) params(form url.Values) {
	form.Set("sendto", m.To)
	form.Set("body", m.Body)
	form.Set("device_id", strconv.FormatInt(m.DeviceID, 10))
	form.Set("sim", strconv.Itoa(int(m.Channel)))
	if !m.SendAt.IsZero() {
		form.Set("timetosend", m.SendAt.UTC().Format(apiTimeLayout))
	}
	if m.CustomerID != 0 {
		form.Set("customerid", strconv.FormatInt(m.CustomerID, 10))
	}
	if m.Urgent {
		form.Set("urgent", "1")
	}
}

// SendSMS queues one message on its device (addsms) and returns the
// gateway's id of it, the [StatusUpdate.SMSID] of its status updates. It
// is never retried (see [Client]): an error after the request left may
// hide a message that was queued.
func (c *Client) SendSMS(ctx context.Context, m SMS) (int64, error) {
	form, err := c.tokenForm()
	if err != nil {
		return 0, err
	}
	if err := checkRequest(m, "", ""); err != nil {
		return 0, err
	}
	m.params(form)
	ans, err := c.call(ctx, "addsms", formRequest(form), false)
	if err != nil {
		return 0, err
	}
	id := ans.fields.whole("sms_id")
	if id <= 0 {
		return 0, ans.missing("sms_id")
	}
	return id, nil
}

// bulkSMS is one entry of addalotofsms's smsdata.
type bulkSMS struct {
	SendTo     string `json:"sendto"`
	Body       string `json:"body"`
	DeviceID   int64  `json:"device_id"`
	SIM        int    `json:"sim"`
	TimeToSend string `json:"timetosend,omitempty"`
	CustomerID int64  `json:"customerid,omitempty"`
	Urgent     int    `json:"urgent,omitempty"`
}

// SendBulk queues several messages in one request (addalotofsms). The API
// answers no ids: give each [SMS] a [SMS.CustomerID] to find them with
// [Client.Messages]. Every message is checked before the request is sent;
// an error names the first one at fault by its index. It is never retried
// (see [Client]).
func (c *Client) SendBulk(ctx context.Context, ms []SMS) error {
	if _, err := c.tokenForm(); err != nil {
		return err
	}
	if len(ms) == 0 {
		return invalid("smsdata", "SendBulk's messages", "is required")
	}
	data := struct {
		Token   string    `json:"token"`
		SMSData []bulkSMS `json:"smsdata"`
	}{Token: c.Token, SMSData: make([]bulkSMS, len(ms))}
	for i, m := range ms {
		n := strconv.Itoa(i)
		if err := checkRequest(m, "smsdata["+n+"].", "["+n+"]"); err != nil {
			return err
		}
		e := bulkSMS{SendTo: m.To, Body: m.Body, DeviceID: m.DeviceID, SIM: int(m.Channel), CustomerID: m.CustomerID}
		if !m.SendAt.IsZero() {
			e.TimeToSend = m.SendAt.UTC().Format(apiTimeLayout)
		}
		if m.Urgent {
			e.Urgent = 1
		}
		data.SMSData[i] = e
	}
	encoded, err := jsonRequest(data)
	if err != nil {
		return err
	}
	_, err = c.call(ctx, "addalotofsms", formRequest(url.Values{"datajson": {string(encoded.body)}}), false)
	return err
}

// TemplateSMS is a message built from a template that a sender id owns
// (addsmstosenderid), sent as a JSON body by [Client.SendTemplate].
type TemplateSMS struct {
	To          string            `param:"send_to" validate:"required"`                        // send_to
	SenderID    string            `param:"sender_id" validate:"required"`                      // sender_id
	TemplateID  string            `param:"template_id" validate:"required"`                    // template_id
	Data        map[string]string `param:"template_data"`                                      // template_data: the template's variables; nil: not sent
	CallbackURL string            `param:"webhook_callback_url" validate:"omitempty,http_url"` // webhook_callback_url; "": not sent
}

// SendTemplate sends a template message through a sender id
// (addsmstosenderid). No source shows what the API answers beyond its
// envelope. It is never retried (see [Client]).
func (c *Client) SendTemplate(ctx context.Context, t TemplateSMS) error {
	if _, err := c.tokenForm(); err != nil {
		return err
	}
	if err := checkRequest(t, "", ""); err != nil {
		return err
	}
	req, err := jsonRequest(struct {
		Token       string            `json:"token"`
		SendTo      string            `json:"send_to"`
		SenderID    string            `json:"sender_id"`
		TemplateID  string            `json:"template_id"`
		Data        map[string]string `json:"template_data,omitempty"`
		CallbackURL string            `json:"webhook_callback_url,omitempty"`
	}{c.Token, t.To, t.SenderID, t.TemplateID, t.Data, t.CallbackURL})
	if err != nil {
		return err
	}
	_, err = c.call(ctx, "addsmstosenderid", req, false)
	return err
}
