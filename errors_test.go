// errors_test.go pins the texts of FieldError, the zero value included.

package smsgw24

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFieldErrorText(t *testing.T) {
	tests := []struct {
		err  *FieldError
		want string
		is   error
	}{
		{&FieldError{}, "smsgw24: invalid field", ErrInvalidField},
		{&FieldError{Field: "sms_id"}, "smsgw24: invalid field: sms_id", ErrInvalidField},
		{&FieldError{Reason: "is odd"}, "smsgw24: invalid field: is odd", ErrInvalidField},
		{&FieldError{Field: "sms_id", Reason: "is absent", Err: ErrMissingField}, "smsgw24: missing field: sms_id is absent", ErrMissingField},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.err.Error())
		if tt.err.Err != nil {
			assert.True(t, errors.Is(tt.err, tt.is))
		}
	}
}
