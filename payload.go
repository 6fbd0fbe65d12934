// payload.go holds the events the gateway sends (StatusUpdate, TextMessage,
// ImageMessage), the Channel they came through, Parse, which turns a webhook
// body into one of them, and their JSON form with the gateway's field names.
// The bytes themselves are read in wire.go.

package smsgw24

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
)

// Errors returned by Parse and Validate, to be told apart with errors.Is.
// The texts that wrap them name a field or an offset, never a message's text.
var (
	// ErrEmptyBody: the request had no body.
	ErrEmptyBody = errors.New("smsgw24: empty body")
	// ErrMalformedBody: the body is not valid JSON, form or multipart data.
	ErrMalformedBody = errors.New("smsgw24: malformed body")
	// ErrUnsupportedMediaType: the Content-Type is neither JSON nor a form,
	// and the body is neither JSON, multipart nor a form either.
	ErrUnsupportedMediaType = errors.New("smsgw24: unsupported media type")
	// ErrMissingField: a field that identifies the event is absent or null.
	ErrMissingField = errors.New("smsgw24: missing field")
	// ErrInvalidField: a field that identifies the event cannot be used
	// (sms_id not a whole number, or out of range).
	ErrInvalidField = errors.New("smsgw24: invalid field")
)

// FieldError names the wire field behind ErrMissingField or
// ErrInvalidField. errors.Is(err, ErrMissingField) works through it.
type FieldError struct {
	Field  string // the gateway's name for the field, such as "sms_id"
	Reason string // what is wrong, without the field's value
	Err    error  // ErrMissingField or ErrInvalidField
}

func (e *FieldError) Error() string {
	return e.Err.Error() + ": " + e.Field + " " + e.Reason
}

// Unwrap returns ErrMissingField or ErrInvalidField.
func (e *FieldError) Unwrap() error { return e.Err }

// Kind tells the three kinds of event apart.
type Kind string

// The kinds of event.
const (
	KindStatus Kind = "status" // a *StatusUpdate
	KindText   Kind = "text"   // a *TextMessage
	KindImage  Kind = "image"  // an *ImageMessage
)

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
// or an *ImageMessage. Switch on its type, or on Kind.
type Event interface {
	// Kind tells which of the three the event is.
	Kind() Kind
	// ID is the gateway's sms_id, the message the event is about.
	ID() int64
	// Validate checks what makes the event usable, as Parse does.
	Validate() error
	// MarshalJSON writes the event with the gateway's field names; Parse
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
	SMSID         int64     `json:"sms_id" validate:"gt=0"`      // the message, as the gateway's API numbers it
	Status        Status    `json:"status_id" validate:"ne=0"`   // the new status
	StatusMessage string    `json:"status_message" validate:"-"` // the gateway's own text for the status
	SendTo        string    `json:"sendto" validate:"-"`         // the recipient's number
	SentTime      time.Time `json:"senttime" validate:"-"`       // when it was sent; zero when absent or unreadable
	Channel       Channel   `json:"channel_id" validate:"-"`     // the slot it went out through
	DeviceID      int64     `json:"device_id" validate:"-"`      // the gateway's id of the phone
	Extra         Extra     `json:"-" validate:"-"`
}

// TextMessage is an incoming text: SMS, WhatsApp or WhatsApp Business
// text, or RCS text.
type TextMessage struct {
	SMSID      int64     `json:"sms_id" validate:"gt=0"`   // the gateway's id of the message
	Address    string    `json:"address" validate:"-"`     // the sender: a number, "+" restored, or a name such as "MTN"
	Body       string    `json:"body" validate:"-"`        // the text
	Date       time.Time `json:"date" validate:"-"`        // when the phone received it
	DateSent   time.Time `json:"date_sent" validate:"-"`   // when the sender sent it
	InternalID int64     `json:"internal_id" validate:"-"` // the phone's own id of the message
	Channel    Channel   `json:"channel_id" validate:"-"`  // the slot it came in through
	DeviceID   int64     `json:"device_id" validate:"-"`   // the gateway's id of the phone
	DeviceName string    `json:"device_name" validate:"-"` // the phone's name in the gateway
	Extra      Extra     `json:"-" validate:"-"`
}

// ImageMessage is an incoming image from WhatsApp or WhatsApp Business. The
// gateway has already stored the image; ImageURL points at it. ImageURL came
// over the network: fetch it only through a client that limits where it may
// connect and how much it reads.
type ImageMessage struct {
	SMSID      int64     `json:"sms_id" validate:"gt=0"`   // the gateway's id of the message
	Address    string    `json:"address" validate:"-"`     // the sender
	Body       string    `json:"body" validate:"-"`        // a caption; empty in what the gateway documents
	Date       time.Time `json:"date" validate:"-"`        // when the phone received it
	DateSent   time.Time `json:"date_sent" validate:"-"`   // when the sender sent it
	ImageURL   string    `json:"img_url" validate:"-"`     // where the gateway stored the image
	InternalID int64     `json:"internal_id" validate:"-"` // the phone's own id; null in what the gateway documents
	Channel    Channel   `json:"channel_id" validate:"-"`  // the slot it came in through
	DeviceID   int64     `json:"device_id" validate:"-"`   // the gateway's id of the phone; often absent
	DeviceName string    `json:"device_name" validate:"-"` // the phone's name; often absent
	Extra      Extra     `json:"-" validate:"-"`
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

// Decoder reads webhook bodies. Its zero value is ready to use and reads
// dates without a zone as UTC.
type Decoder struct {
	// Location is where a date without a zone is read, for a gateway whose
	// phones report local time. nil means UTC. Parsed times are always
	// returned in UTC.
	Location *time.Location
}

var defaultDecoder Decoder

// Parse decodes one webhook body the way the gateway sends it, reading a
// date without a zone as UTC. It is Decoder.Parse of the zero Decoder.
func Parse(contentType string, body []byte) (Event, error) {
	return defaultDecoder.Parse(contentType, body)
}

// Parse decodes one webhook body.
//
// The body may be JSON (also JSON encoded twice, as one JSON string),
// application/x-www-form-urlencoded or multipart; the body wins over a
// wrong or missing Content-Type. Which event it is follows from its fields:
// status_id makes a *StatusUpdate, type "img" (or an img_url) an
// *ImageMessage, anything else a *TextMessage. A status_id that is null,
// empty or 5 (StatusIncoming) in a body with a message's fields (address,
// body, type or img_url) is that message, and is kept in its Extra.
//
// Numbers may be JSON numbers or strings, any field may be null, a phone
// number whose "+" became a space gets it back, and dates are read in every
// format seen on the wire. A field that is merely odd never fails the
// body: it is kept in the event's Extra. Only what identifies the event
// fails it: a missing or unusable sms_id, or for a status update status_id.
//
// The errors wrap ErrEmptyBody, ErrMalformedBody, ErrUnsupportedMediaType,
// ErrMissingField or ErrInvalidField.
func (d *Decoder) Parse(contentType string, body []byte) (Event, error) {
	// A byte order mark before JSON may be ignored (RFC 8259), and so it is.
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, ErrEmptyBody
	}
	format, boundary, err := sniffFormat(contentType, body)
	if err != nil {
		return nil, err
	}
	st := getWireState()
	defer putWireState(st)
	switch format {
	case formatJSON:
		err = st.scanJSONBody(body)
	case formatForm:
		err = st.scanForm(body)
	case formatMultipart:
		err = st.scanMultipart(body, boundary)
	}
	if err != nil {
		return nil, err
	}
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	ev, err := st.assemble(loc)
	if err != nil {
		return nil, err
	}
	if err := ev.Validate(); err != nil {
		return nil, err
	}
	return ev, nil
}

// wireName is what a field name on the wire means.
type wireName uint8

const (
	nameUnknown wireName = iota
	nameSMSID
	nameStatusID
	nameStatusMessage
	nameSendTo
	nameSentTime
	nameAddress
	nameBody
	nameDate
	nameDateSent
	nameInternalID
	nameChannelID
	nameSIM
	nameDeviceID
	nameDeviceName
	nameImageURL
	nameType
)

// lookupName reads a wire field name, in any case.
func lookupName(name []byte) wireName {
	var buf [16]byte
	if len(name) > len(buf) {
		return nameUnknown
	}
	lower := buf[:len(name)]
	for i, c := range name {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	switch string(lower) {
	case "sms_id":
		return nameSMSID
	case "status_id":
		return nameStatusID
	case "status_message":
		return nameStatusMessage
	case "sendto":
		return nameSendTo
	case "senttime":
		return nameSentTime
	case "address":
		return nameAddress
	case "body":
		return nameBody
	case "date":
		return nameDate
	case "date_sent":
		return nameDateSent
	case "internal_id":
		return nameInternalID
	case "channel_id":
		return nameChannelID
	case "sim":
		return nameSIM
	case "device_id":
		return nameDeviceID
	case "device_name", "devicename":
		return nameDeviceName
	case "img_url":
		return nameImageURL
	case "type":
		return nameType
	}
	return nameUnknown
}

// nameSet is a set of wireNames, one bit each.
type nameSet uint32

func setOf(names ...wireName) nameSet {
	var s nameSet
	for _, n := range names {
		s |= 1 << n
	}
	return s
}

func (s nameSet) has(n wireName) bool { return s&(1<<n) != 0 }

// The names each kind of event reads; the others go to Extra.
var (
	statusNames = setOf(nameSMSID, nameStatusID, nameStatusMessage, nameSendTo, nameSentTime, nameChannelID, nameSIM, nameDeviceID)
	textNames   = setOf(nameSMSID, nameAddress, nameBody, nameDate, nameDateSent, nameInternalID, nameChannelID, nameSIM, nameDeviceID, nameDeviceName, nameType)
	imageNames  = textNames | setOf(nameImageURL)
)

func acceptedBy(kind Kind) nameSet {
	switch kind {
	case KindStatus:
		return statusNames
	case KindImage:
		return imageNames
	}
	return textNames
}

// record is every typed value a body can hold, before it becomes the event
// of its kind. It is the one place where wire fields get their meaning,
// whatever the encoding was.
type record struct {
	kind                                 Kind
	smsID, internalID, deviceID          int64
	hasSMSID                             bool
	status                               Status
	hasStatus                            bool
	channelID, sim                       Channel
	hasChannelID                         bool
	statusMessage, sendTo, address, body string
	deviceName, imageURL                 string
	sentTime, date, dateSent             time.Time
	extra                                Extra
	badSMSID, badStatus                  bool
}

// classify decides the kind of event from its fields, and notes what each
// field's name means.
func classify(fields []rawField) Kind {
	kind := KindText
	status := -1 // the last status_id
	message := false
	for i := range fields {
		f := &fields[i]
		f.known = lookupName(f.name)
		switch f.known {
		case nameStatusID:
			status = i
		case nameAddress, nameBody:
			message = true
		case nameType:
			message = true
			if f.kind == kindString && (asciiEqualFold(f.value, "img") || asciiEqualFold(f.value, "image")) {
				kind = KindImage
			}
		case nameImageURL:
			message = true
			if f.kind == kindString && len(bytes.TrimSpace(f.value)) > 0 {
				kind = KindImage
			}
		}
	}
	if status >= 0 && !(message && incomingStatus(fields[status])) {
		return KindStatus
	}
	return kind
}

// incomingStatus reports whether a status_id says the body is no status
// update: null, empty, or 5, the status of an incoming message.
func incomingStatus(f rawField) bool {
	if isBlank(f) {
		return true
	}
	s, ok := statusValue(f)
	return ok && s == StatusIncoming
}

// isBlank reports whether a field is null or a string of nothing but space.
func isBlank(f rawField) bool {
	return f.kind == kindNull || f.kind == kindString && len(bytes.TrimSpace(f.value)) == 0
}

func asciiEqualFold(b []byte, s string) bool {
	return len(b) == len(s) && strings.EqualFold(string(b), s)
}

// assemble turns the scanned fields into an event.
func (st *wireState) assemble(loc *time.Location) (Event, error) {
	r := record{kind: classify(st.fields)}
	accepted := acceptedBy(r.kind)
	// A message keeps only the last status_id in Extra, the one classify
	// read, as a status update reads only its last: so that the event
	// marshals to a body of the same kind.
	lastStatus := -1
	if r.kind != KindStatus {
		for i := range st.fields {
			if st.fields[i].known == nameStatusID {
				lastStatus = i
			}
		}
	}
	for i, f := range st.fields {
		name := f.known
		if name == nameStatusID && r.kind != KindStatus && i != lastStatus {
			continue
		}
		if name == nameUnknown || !accepted.has(name) {
			r.keep(f)
			continue
		}
		if isBlank(f) && (f.kind == kindNull || name != nameBody) {
			if name == nameSMSID {
				r.hasSMSID, r.badSMSID = false, false
			}
			if name == nameStatusID {
				r.hasStatus, r.badStatus = false, false
			}
			continue
		}
		if !r.set(st, name, f, loc) {
			r.keep(f)
		}
	}
	switch {
	case r.badSMSID:
		return nil, &FieldError{Field: "sms_id", Reason: "is not a whole number in range", Err: ErrInvalidField}
	case !r.hasSMSID:
		return nil, &FieldError{Field: "sms_id", Reason: "is absent", Err: ErrMissingField}
	case r.kind == KindStatus && r.badStatus:
		return nil, &FieldError{Field: "status_id", Reason: "is neither a status code nor a status name", Err: ErrInvalidField}
	case r.kind == KindStatus && !r.hasStatus:
		return nil, &FieldError{Field: "status_id", Reason: "is null or empty", Err: ErrMissingField}
	}
	channel := r.sim
	if r.hasChannelID {
		channel = r.channelID
	}
	switch r.kind {
	case KindStatus:
		return &StatusUpdate{SMSID: r.smsID, Status: r.status, StatusMessage: r.statusMessage, SendTo: r.sendTo,
			SentTime: r.sentTime, Channel: channel, DeviceID: r.deviceID, Extra: r.extra}, nil
	case KindImage:
		return &ImageMessage{SMSID: r.smsID, Address: r.address, Body: r.body, Date: r.date, DateSent: r.dateSent,
			ImageURL: r.imageURL, InternalID: r.internalID, Channel: channel, DeviceID: r.deviceID,
			DeviceName: r.deviceName, Extra: r.extra}, nil
	}
	return &TextMessage{SMSID: r.smsID, Address: r.address, Body: r.body, Date: r.date, DateSent: r.dateSent,
		InternalID: r.internalID, Channel: channel, DeviceID: r.deviceID, DeviceName: r.deviceName, Extra: r.extra}, nil
}

// set stores one known field; false means its value could not be read and
// the field belongs in Extra.
func (r *record) set(st *wireState, name wireName, f rawField, loc *time.Location) bool {
	switch name {
	case nameSMSID:
		n, ok := wholeValue(f)
		r.smsID, r.hasSMSID, r.badSMSID = n, ok, !ok
		return true // an unusable sms_id fails the body; it is not kept
	case nameStatusID:
		s, ok := statusValue(f)
		r.status, r.hasStatus, r.badStatus = s, ok, !ok
		return true
	case nameInternalID, nameDeviceID, nameChannelID, nameSIM:
		n, ok := wholeValue(f)
		if !ok {
			return false
		}
		switch name {
		case nameInternalID:
			r.internalID = n
		case nameDeviceID:
			r.deviceID = n
		case nameChannelID:
			r.channelID, r.hasChannelID = Channel(n), true
		case nameSIM:
			r.sim = Channel(n)
		}
		return true
	case nameSentTime, nameDate, nameDateSent:
		t, ok := st.readDate(f, loc)
		if !ok {
			return false
		}
		switch name {
		case nameSentTime:
			r.sentTime = t
		case nameDate:
			r.date = t
		case nameDateSent:
			r.dateSent = t
		}
		return true
	case nameType:
		// "text", "img" and "image" are what classify read; any other type
		// is kept, as it may be a kind of message no document shows yet.
		return f.kind == kindString && (asciiEqualFold(f.value, "text") ||
			asciiEqualFold(f.value, "img") || asciiEqualFold(f.value, "image"))
	}
	// The rest are texts; a number is taken as its digits (an address in
	// the older docs is an int).
	if f.kind != kindString && f.kind != kindNumber {
		return false
	}
	switch name {
	case nameStatusMessage:
		r.statusMessage = string(f.value)
	case nameSendTo:
		r.sendTo = phoneNumber(f.value)
	case nameAddress:
		r.address = phoneNumber(f.value)
	case nameBody:
		r.body = string(f.value)
	case nameDeviceName:
		r.deviceName = string(f.value)
	case nameImageURL:
		r.imageURL = string(bytes.TrimSpace(f.value))
	}
	return true
}

// keep puts a field into Extra, as raw JSON.
func (r *record) keep(f rawField) {
	if r.extra == nil {
		r.extra = make(Extra)
	}
	var raw []byte
	if f.raw != nil {
		raw = bytes.Clone(f.raw)
	} else {
		raw = appendJSONString(nil, f.value)
	}
	r.extra[string(f.name)] = raw
}

func wholeValue(f rawField) (int64, bool) {
	if f.kind != kindString && f.kind != kindNumber {
		return 0, false
	}
	return parseWhole(f.value)
}

func statusValue(f rawField) (Status, bool) {
	if n, ok := wholeValue(f); ok {
		if n != int64(int(n)) {
			return 0, false
		}
		return Status(n), true
	}
	if f.kind == kindString {
		if s, err := ParseStatus(string(f.value)); err == nil {
			return s, true
		}
	}
	return 0, false
}

// phoneNumber trims a sender or recipient and gives back the "+" that a
// form body (or a sender that built JSON from one) turned into a space:
// " 79001234567" becomes "+79001234567". Alphanumeric senders stay as they
// are.
func phoneNumber(v []byte) string {
	trimmed := bytes.TrimSpace(v)
	if len(trimmed) == 0 || len(trimmed) == len(v) || v[0] != ' ' {
		return string(trimmed)
	}
	for _, c := range trimmed {
		if c < '0' || c > '9' {
			return string(trimmed)
		}
	}
	return "+" + string(trimmed)
}

// The shared validator: building one is costly, using it is safe from many
// goroutines.
var validate = func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		return name
	})
	return v
}()

// Validate checks that the update is usable: a positive SMSID and a
// non-zero Status. It wraps ErrMissingField or ErrInvalidField.
func (e *StatusUpdate) Validate() error { return validateEvent(e) }

// Validate checks that the message is usable: a positive SMSID. It wraps
// ErrMissingField or ErrInvalidField.
func (e *TextMessage) Validate() error { return validateEvent(e) }

// Validate checks that the message is usable: a positive SMSID. It wraps
// ErrMissingField or ErrInvalidField.
func (e *ImageMessage) Validate() error { return validateEvent(e) }

func validateEvent(e Event) error {
	err := validate.Struct(e)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if errors.As(err, &verrs) && len(verrs) > 0 {
		fe := verrs[0]
		if reflect.ValueOf(fe.Value()).IsZero() {
			return &FieldError{Field: fe.Field(), Reason: "is absent", Err: ErrMissingField}
		}
		return &FieldError{Field: fe.Field(), Reason: "is out of range", Err: ErrInvalidField}
	}
	return fmt.Errorf("%w: %v", ErrInvalidField, err)
}

// MarshalJSON writes the update as the gateway does, with channel_id, the
// time in RFC 3339, and the fields of Extra.
func (e *StatusUpdate) MarshalJSON() ([]byte, error) {
	w := jsonWriter{extra: e.Extra}
	w.int("sms_id", e.SMSID)
	w.int("status_id", int64(e.Status))
	w.str("status_message", e.StatusMessage)
	w.str("sendto", e.SendTo)
	w.time("senttime", e.SentTime)
	w.int("channel_id", int64(e.Channel))
	w.int("device_id", e.DeviceID)
	return w.finish(), nil
}

// MarshalJSON writes the message as the gateway's newer documents show it,
// with type "text", channel_id, times in RFC 3339, and the fields of Extra.
func (e *TextMessage) MarshalJSON() ([]byte, error) {
	return messageJSON("text", e, nil), nil
}

// MarshalJSON writes the message as the gateway's newer documents show it,
// with type "img", channel_id, times in RFC 3339, and the fields of Extra.
func (e *ImageMessage) MarshalJSON() ([]byte, error) {
	shared := TextMessage{SMSID: e.SMSID, Address: e.Address, Body: e.Body, Date: e.Date, DateSent: e.DateSent,
		InternalID: e.InternalID, Channel: e.Channel, DeviceID: e.DeviceID, DeviceName: e.DeviceName, Extra: e.Extra}
	return messageJSON("img", &shared, &e.ImageURL), nil
}

// messageJSON writes the fields that text and image messages share, and
// img_url for an image. A type that Extra kept (one no document shows)
// is written in place of typ, so that it survives a round trip.
func messageJSON(typ string, m *TextMessage, imageURL *string) []byte {
	w := jsonWriter{extra: m.Extra}
	w.int("sms_id", m.SMSID)
	if !w.fromExtra("type") {
		w.str("type", typ)
	}
	w.str("address", m.Address)
	w.str("body", m.Body)
	w.time("date", m.Date)
	w.time("date_sent", m.DateSent)
	if imageURL != nil {
		w.str("img_url", *imageURL)
	}
	w.int("internal_id", m.InternalID)
	w.int("channel_id", int64(m.Channel))
	w.int("device_id", m.DeviceID)
	w.str("device_name", m.DeviceName)
	return w.finish()
}

// jsonWriter writes one flat JSON object: the typed fields first, then
// what Extra holds. A field of Extra with the name of a typed field stands
// in for a zero value (a date that could not be read is written back as it
// came).
type jsonWriter struct {
	buf   []byte
	extra Extra
	done  []string
}

func (w *jsonWriter) key(name string) {
	if len(w.buf) == 0 {
		w.buf = append(make([]byte, 0, 256), '{')
	} else {
		w.buf = append(w.buf, ',')
	}
	w.buf = appendJSONString(w.buf, []byte(name))
	w.buf = append(w.buf, ':')
}

// fromExtra writes Extra's value for name, if it has one, in place of a
// zero value.
func (w *jsonWriter) fromExtra(name string) bool {
	raw, ok := w.extra[name]
	if !ok {
		return false
	}
	w.key(name)
	w.buf = append(w.buf, raw...)
	w.done = append(w.done, name)
	return true
}

func (w *jsonWriter) int(name string, v int64) {
	if v == 0 && w.fromExtra(name) {
		return
	}
	w.key(name)
	w.buf = strconv.AppendInt(w.buf, v, 10)
}

func (w *jsonWriter) str(name, v string) {
	if v == "" && w.fromExtra(name) {
		return
	}
	w.key(name)
	w.buf = appendJSONString(w.buf, []byte(v))
}

func (w *jsonWriter) time(name string, t time.Time) {
	if t.IsZero() {
		if !w.fromExtra(name) {
			w.key(name)
			w.buf = append(w.buf, "null"...)
		}
		return
	}
	w.key(name)
	w.buf = append(w.buf, '"')
	w.buf = t.UTC().AppendFormat(w.buf, time.RFC3339Nano)
	w.buf = append(w.buf, '"')
}

func (w *jsonWriter) finish() []byte {
	names := make([]string, 0, len(w.extra))
	for name := range w.extra {
		if !slices.Contains(w.done, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		if raw := w.extra[name]; json.Valid(raw) {
			w.key(name)
			w.buf = append(w.buf, raw...)
		}
	}
	if len(w.buf) == 0 {
		return []byte("{}")
	}
	return append(w.buf, '}')
}

// appendJSONString writes s as a JSON string. Invalid UTF-8 becomes
// U+FFFD, as encoding/json writes it.
func appendJSONString(buf, s []byte) []byte {
	const hexDigits = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c == '\n':
				buf = append(buf, '\\', 'n')
			case c == '\r':
				buf = append(buf, '\\', 'r')
			case c == '\t':
				buf = append(buf, '\\', 't')
			case c < 0x20:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, `\ufffd`...)
		} else {
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}
