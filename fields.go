// fields.go gives raw fields their meaning, whatever the body's encoding:
// the gateway's field names in any case, which kind of event a body is,
// and the record that takes each field's typed value (or keeps it in
// Extra) before it becomes the event of its kind. It is the one place
// where a field's name means something.

package smsgw24

import (
	"bytes"
	"time"
)

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
	if n := exactName(name); n != nameUnknown {
		return n // the common case: spelled as the gateway spells it
	}
	var buf [16]byte
	if len(name) > len(buf) {
		return nameUnknown
	}
	lower := buf[:len(name)]
	for i, c := range name {
		lower[i] = lowerASCII(c)
	}
	return exactName(lower)
}

// exactName reads a wire field name spelled in lower case.
func exactName(name []byte) wireName {
	switch string(name) {
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
	kind                        Kind
	smsID, internalID, deviceID int64
	hasSMSID                    bool
	status                      Status
	hasStatus                   bool
	channelID, sim              Channel
	hasChannelID                bool
	texts                       texts
	sentTime, date, dateSent    time.Time
	extra                       Extra
	badSMSID, badStatus         bool
}

// classify decides the kind of event from its fields, notes what each
// field's name means in names, and returns the index of the last
// status_id, or -1.
func classify(fields []rawField, names []wireName) (kind Kind, lastStatus int) {
	kind, lastStatus = KindText, -1
	message := false
	for i := range fields {
		f := &fields[i]
		name := lookupName(f.name)
		names[i] = name
		switch name {
		case nameStatusID:
			lastStatus = i
		case nameAddress, nameBody:
			message = true
		case nameType:
			message = true
			if f.kind == kindString && (asciiEqualFold(f.value, "img") || asciiEqualFold(f.value, "image")) {
				kind = KindImage
			}
		case nameImageURL:
			message = true
			if f.kind == kindString && len(trimSpace(f.value)) > 0 {
				kind = KindImage
			}
		}
	}
	if lastStatus >= 0 && !(message && incomingStatus(&fields[lastStatus])) {
		return KindStatus, lastStatus
	}
	return kind, lastStatus
}

// incomingStatus reports whether a status_id says the body is no status
// update: null, empty, or 5, the status of an incoming message.
func incomingStatus(f *rawField) bool {
	if isBlank(f) {
		return true
	}
	s, ok := statusValue(f)
	return ok && s == StatusIncoming
}

// isBlank reports whether a field is null or a string of nothing but space.
func isBlank(f *rawField) bool {
	if f.kind != kindString {
		return f.kind == kindNull
	}
	return len(f.value) == 0 || !noSpace(f.value[0]) && len(trimSpace(f.value)) == 0
}

// asciiEqualFold reports whether b is s, a word of ASCII, in any case: what
// strings.EqualFold says of them, as no other folding keeps the length of
// an ASCII word.
func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		if lowerASCII(b[i]) != lowerASCII(s[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// assemble turns the fields of one body into an event, reading its dates
// with dates.
func assemble(fields []rawField, dates *dateReader) (Event, error) {
	var namesBuf [32]wireName // enough for the gateway's bodies, on the stack
	names := namesBuf[:]
	if len(fields) > len(namesBuf) {
		names = make([]wireName, len(fields))
	}
	names = names[:len(fields)]
	kind, lastStatus := classify(fields, names)
	r := record{kind: kind}
	accepted := acceptedBy(r.kind)
	for i := range fields {
		f, name := &fields[i], names[i]
		// A message keeps only the last status_id in Extra, the one
		// classify read, as a status update reads only its last: so that
		// the event marshals to a body of the same kind.
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
		if !r.set(name, f, dates) {
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
	all, t := r.texts.join(), &r.texts
	switch r.kind {
	case KindStatus:
		return &StatusUpdate{SMSID: r.smsID, Status: r.status, StatusMessage: t.get(all, textStatusMessage), SendTo: t.get(all, textSendTo),
			SentTime: r.sentTime, Channel: channel, DeviceID: r.deviceID, Extra: r.extra}, nil
	case KindImage:
		return &ImageMessage{SMSID: r.smsID, Address: t.get(all, textAddress), Body: t.get(all, textBody), Date: r.date, DateSent: r.dateSent,
			ImageURL: t.get(all, textImageURL), InternalID: r.internalID, Channel: channel, DeviceID: r.deviceID,
			DeviceName: t.get(all, textDeviceName), Extra: r.extra}, nil
	}
	return &TextMessage{SMSID: r.smsID, Address: t.get(all, textAddress), Body: t.get(all, textBody), Date: r.date, DateSent: r.dateSent,
		InternalID: r.internalID, Channel: channel, DeviceID: r.deviceID, DeviceName: t.get(all, textDeviceName), Extra: r.extra}, nil
}

// set stores one known field; false means its value could not be read and
// the field belongs in Extra.
func (r *record) set(name wireName, f *rawField, dates *dateReader) bool {
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
		t, ok := dates.read(f)
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
		r.texts.set(textStatusMessage, f.value, false)
	case nameSendTo:
		r.texts.setPhone(textSendTo, f.value)
	case nameAddress:
		r.texts.setPhone(textAddress, f.value)
	case nameBody:
		r.texts.set(textBody, f.value, false)
	case nameDeviceName:
		r.texts.set(textDeviceName, f.value, false)
	case nameImageURL:
		r.texts.set(textImageURL, trimSpace(f.value), false)
	}
	return true
}

// keep puts a field into Extra, as raw JSON.
func (r *record) keep(f *rawField) {
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

func wholeValue(f *rawField) (int64, bool) {
	if f.kind > kindNumber { // neither a string nor a number
		return 0, false
	}
	return parseWhole(f.value)
}

func statusValue(f *rawField) (Status, bool) {
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
	digits, plus := phoneDigits(v)
	if plus {
		return "+" + string(digits)
	}
	return string(digits)
}

// phoneDigits is phoneNumber without the copy: the trimmed number, and
// whether a "+" goes before it.
func phoneDigits(v []byte) (trimmed []byte, plus bool) {
	trimmed = trimSpace(v)
	if len(trimmed) == 0 || len(trimmed) == len(v) || v[0] != ' ' {
		return trimmed, false
	}
	for _, c := range trimmed {
		if c < '0' || c > '9' {
			return trimmed, false
		}
	}
	return trimmed, true
}
