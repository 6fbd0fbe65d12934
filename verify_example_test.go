// This file holds the runnable examples of the request verifiers.

package smsgw24_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/go-smsgw24/smsgw24"
)

// A Token verifier accepts the secret in the token query parameter (or in an
// Authorization: Bearer header); errors.Is tells 401 from 403.
func ExampleToken() {
	v := smsgw24.Token("old-secret", "new-secret")

	status := func(r *http.Request) int {
		err := v.Verify(r, nil)
		switch {
		case err == nil:
			return http.StatusOK
		case errors.Is(err, smsgw24.ErrUnauthenticated):
			return http.StatusUnauthorized
		default:
			return http.StatusForbidden
		}
	}

	fmt.Println(status(httptest.NewRequest(http.MethodPost, "/sms?token=new-secret", nil)))
	fmt.Println(status(httptest.NewRequest(http.MethodPost, "/sms?token=old-secret", nil)))
	fmt.Println(status(httptest.NewRequest(http.MethodPost, "/sms", nil)))
	fmt.Println(status(httptest.NewRequest(http.MethodPost, "/sms?token=guess", nil)))
	// Output:
	// 200
	// 200
	// 401
	// 403
}
