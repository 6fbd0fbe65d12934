// errors.go holds the errors of decoding a webhook body, which Parse and
// Validate return and the Handler turns into 4xx answers: the sentinel
// errors, and FieldError, which names the field at fault.

package smsgw24

import "errors"

// Errors returned by [Parse] and Validate, to be told apart with
// [errors.Is]. The texts that wrap them name a field or an offset, never a
// message's text.
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

// FieldError names the wire field behind [ErrMissingField] or
// [ErrInvalidField]. errors.Is(err, [ErrMissingField]) works through it.
type FieldError struct {
	Field  string // the gateway's name for the field, such as "sms_id"
	Reason string // what is wrong, without the field's value
	Err    error  // ErrMissingField or ErrInvalidField
}

// Error says which field is at fault and why, without its value. A
// [FieldError] with no Err reads as an invalid field.
func (e *FieldError) Error() string {
	class := ErrInvalidField
	if e.Err != nil {
		class = e.Err
	}
	msg := class.Error()
	if e.Field != "" {
		msg += ": " + e.Field
		if e.Reason != "" {
			msg += " " + e.Reason
		}
	} else if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns [ErrMissingField] or [ErrInvalidField].
func (e *FieldError) Unwrap() error { return e.Err }
