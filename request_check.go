// request_check.go holds what the client checks before it sends a request:
// ErrInvalidRequest, and the check of the request types' validate tags with
// the shared validator, which names the API's parameter at fault.

package smsgw24

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
)

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

// ErrInvalidRequest is wrapped by an error for a request the client refused
// to send: one that lacks what the method requires or holds a value out of
// range (then the error is a *[FieldError] whose [FieldError.Field] is the
// API's parameter, such as "sendto", and whose text names the Go field
// too, never the value), or a [Client] whose [Client.BaseURL] is not an
// http or https URL.
var ErrInvalidRequest = errors.New("smsgw24: invalid request")

// invalid is the error for a request's parameter; goName is the Go field
// or argument it comes from.
func invalid(param, goName, reason string) error {
	return &FieldError{Field: param, Reason: reason + " (" + goName + ")", Err: ErrInvalidRequest}
}

// checkRequest checks req, a struct whose fields carry validate tags and
// the API's parameter name in a param tag. prefix goes before the
// parameter's name (smsdata[2].) and the Go field's (SMS[2]).
func checkRequest(req any, paramPrefix, goPrefix string) error {
	err := validate.Struct(req)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) || len(verrs) == 0 {
		return fmt.Errorf("%w: %v", ErrInvalidRequest, err)
	}
	fe := verrs[0]
	// The namespace is Type.Field or Type.Field[i]; its field names the
	// param tag.
	ns := fe.StructNamespace()
	typeName, fieldPath, _ := strings.Cut(ns, ".")
	fieldName, index, _ := strings.Cut(fieldPath, "[")
	param := fieldName
	t := reflect.TypeOf(req)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if sf, ok := t.FieldByName(fieldName); ok {
		if p := sf.Tag.Get("param"); p != "" {
			param = p
		}
	}
	if index != "" {
		param += "[" + index
	}
	return invalid(paramPrefix+param, goPrefix+typeName+"."+fieldPath, reason(fe))
}

// reason says what a failed validate tag asks, without the value.
func reason(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "gt":
		return "must be more than " + fe.Param()
	case "gte":
		return "must be at least " + fe.Param()
	case "min":
		if fe.Kind() == reflect.Slice {
			return "must hold at least " + fe.Param()
		}
		return "must be at least " + fe.Param()
	case "max", "lte":
		return "must be at most " + fe.Param()
	case "http_url":
		return "must be an http or https URL"
	case "timezone":
		return "must be a time zone name such as Europe/Berlin"
	}
	return "fails the check " + fe.Tag()
}
