// event.go holds the events the gateway sends: StatusUpdate, TextMessage
// and ImageMessage, the Event interface they share, the Channel they came
// through, Extra, and Validate. Parse (parse.go) makes them; their JSON form
// is in event_json.go.

package smsgw24

import (
	"encoding/json"
	"strconv"
	"time"
)

// Kind tells the three kinds of event apart.
type Kind string

// The kinds of event.
const (
	KindStatus Kind = "status" // a *StatusUpdate
	KindText   Kind = "text"   // a *TextMessage
	KindImage  Kind = "image"  // an *ImageMessage
)

// kinds are all the kinds of event; doc.go says what else a new one needs.
var kinds = [...]Kind{KindStatus, KindText, KindImage}

// Kinds returns every [Kind] of event, in the order of their constants.
func Kinds() []Kind { return kinds[:] }

// Channel is the slot a message went out or came in through: one of the
// phone's two SIM cards, or a messenger. It comes from channel_id, or from
// the older sim field where channel_id is absent; a body with neither gives
// ChannelSIM1. Other values are kept as they are.
type Channel int

// The documented channels.
const (
	ChannelSIM1             Channel = 0 // the first SIM slot
	ChannelSIM2             Channel = 1 // the second SIM slot
	ChannelWhatsAppBusiness Channel = 2 // WhatsApp Business
	ChannelWhatsApp         Channel = 3 // WhatsApp
)

var channelNames = [...]string{"sim1", "sim2", "whatsapp_business", "whatsapp"}

// String returns "sim1", "sim2", "whatsapp_business", "whatsapp", or
// "channel(7)" for a slot no document lists.
func (c Channel) String() string {
	if c >= 0 && int(c) < len(channelNames) {
		return channelNames[c]
	}
	return "channel(" + strconv.Itoa(int(c)) + ")"
}

// Event is what one webhook call carries: a *StatusUpdate, a *TextMessage
// or an *ImageMessage. Switch on its type, or on [Kind].
type Event interface {
	// Kind tells which of the three the event is.
	Kind() Kind
	// ID is the gateway's sms_id, the message the event is about.
	ID() int64
	// Validate checks what makes the event usable, as [Parse] does.
	Validate() error
	// MarshalJSON writes the event with the gateway's field names; [Parse]
	// reads it back to an equal event.
	MarshalJSON() ([]byte, error)
	isEvent()
}

// Extra keeps the wire fields that an event has no typed field for, by
// their wire names, each as a raw JSON value: unknown fields, and known ones
// whose value could not be read (a date in a format no document shows, a
// device_id that is not a number). Form values are kept as JSON strings.
// It is nil when there are none; MarshalJSON writes its fields back.
type Extra map[string]json.RawMessage

// StatusUpdate reports a change in the delivery status of an outgoing
// message: the body of the gateway's status webhook.
type StatusUpdate struct {
	SMSID         int64     `json:"sms_id"`         // the message, as the gateway's API numbers it
	Status        Status    `json:"status_id"`      // the new status
	StatusMessage string    `json:"status_message"` // the gateway's own text for the status
	SendTo        string    `json:"sendto"`         // the recipient's number
	SentTime      time.Time `json:"senttime"`       // when it was sent; zero when absent or unreadable
	Channel       Channel   `json:"channel_id"`     // the slot it went out through
	DeviceID      int64     `json:"device_id"`      // the gateway's id of the phone
	Extra         Extra     `json:"-"`
}

// TextMessage is an incoming text: SMS, WhatsApp or WhatsApp Business
// text, or RCS text.
type TextMessage struct {
	SMSID      int64     `json:"sms_id"`      // the gateway's id of the message
	Address    string    `json:"address"`     // the sender: a number, "+" restored, or a name such as "MTN"
	Body       string    `json:"body"`        // the text
	Date       time.Time `json:"date"`        // when the phone received it
	DateSent   time.Time `json:"date_sent"`   // when the sender sent it
	InternalID int64     `json:"internal_id"` // the phone's own id of the message
	Channel    Channel   `json:"channel_id"`  // the slot it came in through
	DeviceID   int64     `json:"device_id"`   // the gateway's id of the phone
	DeviceName string    `json:"device_name"` // the phone's name in the gateway
	Extra      Extra     `json:"-"`
}

// ImageMessage is an incoming image from WhatsApp or WhatsApp Business. The
// gateway has already stored the image; ImageURL points at it. ImageURL came
// over the network: fetch it only through a client that limits where it may
// connect and how much it reads.
type ImageMessage struct {
	SMSID      int64     `json:"sms_id"`      // the gateway's id of the message
	Address    string    `json:"address"`     // the sender
	Body       string    `json:"body"`        // a caption; empty in what the gateway documents
	Date       time.Time `json:"date"`        // when the phone received it
	DateSent   time.Time `json:"date_sent"`   // when the sender sent it
	ImageURL   string    `json:"img_url"`     // where the gateway stored the image
	InternalID int64     `json:"internal_id"` // the phone's own id; null in what the gateway documents
	Channel    Channel   `json:"channel_id"`  // the slot it came in through
	DeviceID   int64     `json:"device_id"`   // the gateway's id of the phone; often absent
	DeviceName string    `json:"device_name"` // the phone's name; often absent
	Extra      Extra     `json:"-"`
}

// Kind returns KindStatus.
func (*StatusUpdate) Kind() Kind { return KindStatus }

// Kind returns KindText.
func (*TextMessage) Kind() Kind { return KindText }

// Kind returns KindImage.
func (*ImageMessage) Kind() Kind { return KindImage }

// ID returns SMSID.
func (e *StatusUpdate) ID() int64 { return e.SMSID }

// ID returns SMSID.
func (e *TextMessage) ID() int64 { return e.SMSID }

// ID returns SMSID.
func (e *ImageMessage) ID() int64 { return e.SMSID }

func (*StatusUpdate) isEvent() {}
func (*TextMessage) isEvent()  {}
func (*ImageMessage) isEvent() {}

// Validate checks that the update is usable: a positive SMSID and a
// non-zero [Status]. It wraps [ErrMissingField] or [ErrInvalidField].
func (e *StatusUpdate) Validate() error {
	if err := checkSMSID(e.SMSID); err != nil {
		return err
	}
	if e.Status == 0 {
		return &FieldError{Field: "status_id", Reason: "is absent", Err: ErrMissingField}
	}
	return nil
}

// Validate checks that the message is usable: a positive SMSID. It wraps
// [ErrMissingField] or [ErrInvalidField].
func (e *TextMessage) Validate() error { return checkSMSID(e.SMSID) }

// Validate checks that the message is usable: a positive SMSID. It wraps
// [ErrMissingField] or [ErrInvalidField].
func (e *ImageMessage) Validate() error { return checkSMSID(e.SMSID) }

// checkSMSID checks an event's sms_id. Two rules are checked by hand: the
// validator, which pays on the client's requests, would cost an event more
// than decoding it.
func checkSMSID(id int64) error {
	switch {
	case id == 0:
		return &FieldError{Field: "sms_id", Reason: "is absent", Err: ErrMissingField}
	case id < 0:
		return &FieldError{Field: "sms_id", Reason: "is out of range", Err: ErrInvalidField}
	}
	return nil
}
