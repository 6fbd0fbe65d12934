// verify.go holds what all request verifiers share: the Verifier and
// RequestVerifier interfaces, VerifierFunc, the check of a verifier's
// configuration, and the errors verifiers return with their classes. The
// verifiers are in token.go, ipallowlist.go and standardwebhooks.go, and
// All and Any in combine.go.

package smsgw24

import (
	"errors"
	"net/http"
)

// Verifier decides whether a webhook request really comes from the user's
// gateway. body is the request body already read (capped) by the handler;
// Verify must not read r.Body.
//
// Verify must not retain body, nor any slice of it, once it returns: a
// [Handler] reuses the buffer for the next request. A verifier that keeps
// part of the body (for a later audit, say) copies it.
//
// Verify returns nil to accept the request. Every error returned by the
// verifiers of this package matches, with errors.Is, exactly one of
// [ErrUnauthenticated] (answer 401) or [ErrForbidden] (answer 403).
//
// A verifier that needs no body implements [RequestVerifier] as well, so
// that a [Handler] rejects a request without the credential before it
// reads the body.
type Verifier interface {
	Verify(r *http.Request, body []byte) error
}

// RequestVerifier is a [Verifier] that decides from the request alone, its
// URL, headers and address, without the body. A [Handler] calls
// VerifyRequest before it reads the body, and then does not call Verify:
// a client without the credential costs no more than its headers, however
// large a body it announces. VerifyRequest(r) must decide as Verify(r, body)
// does for every body.
//
// [Token] and [IPAllowlist] are RequestVerifiers, and so are [All] and
// [Any] when every verifier they combine is one. [StandardWebhooks], which
// signs the body, is not.
type RequestVerifier interface {
	Verifier
	VerifyRequest(r *http.Request) error
}

// VerifierFunc adapts an ordinary function to the [Verifier] interface.
// A nil [VerifierFunc] rejects every request with [ErrNotConfigured].
type VerifierFunc func(r *http.Request, body []byte) error

// Verify calls f(r, body).
func (f VerifierFunc) Verify(r *http.Request, body []byte) error {
	if f == nil {
		return ErrNotConfigured
	}
	return f(r, body)
}

func (f VerifierFunc) checkConfig() error {
	if f == nil {
		return ErrNotConfigured
	}
	return nil
}

// configChecker is implemented by the verifiers of this package that can
// tell, before any request, that they would reject every one: it returns an
// error wrapping [ErrNotConfigured] then. [Handler.Check] asks it.
type configChecker interface {
	checkConfig() error
}

// checkVerifierConfig returns the configuration error of v, if v can tell.
func checkVerifierConfig(v Verifier) error {
	if c, ok := v.(configChecker); ok {
		return c.checkConfig()
	}
	return nil
}

// The two classes of verification failure. A handler picks its status code
// with errors.Is:
//
//	switch {
//	case err == nil:
//		// accept
//	case errors.Is(err, smsgw24.ErrUnauthenticated):
//		// 401 Unauthorized
//	default: // errors.Is(err, smsgw24.ErrForbidden)
//		// 403 Forbidden
//	}
var (
	// ErrUnauthenticated is the class of errors for a request that
	// presented no credential at all: [ErrNoToken] and [ErrSignatureMissing].
	// Answer 401 Unauthorized.
	ErrUnauthenticated = errors.New("smsgw24: request not authenticated")

	// ErrForbidden is the class of every other verification error: a
	// credential was presented but is wrong, malformed or stale, the client
	// address is not allowed, or the verifier is not configured (it then
	// fails closed). Answer 403 Forbidden.
	ErrForbidden = errors.New("smsgw24: request forbidden")
)

// verifyError is a sentinel error that belongs to a class ([ErrUnauthenticated]
// or [ErrForbidden]), or to another sentinel, through Unwrap.
type verifyError struct {
	msg    string
	parent error
}

func (e *verifyError) Error() string { return e.msg }
func (e *verifyError) Unwrap() error { return e.parent }

// Sentinel errors returned by the verifiers. Each wraps [ErrUnauthenticated] or
// [ErrForbidden] as its documentation says. Error texts never contain a secret
// nor any credential taken from the request.
var (
	// ErrNotConfigured reports a verifier that has nothing to check against
	// (no secret, no allowed address, no verifier in All or Any, a
	// malformed secret) and therefore rejects every request. Class:
	// [ErrForbidden].
	ErrNotConfigured error = &verifyError{"smsgw24: verifier not configured, rejecting", ErrForbidden}

	// ErrNoToken reports a request carrying no token, neither in the token
	// query parameter nor in an Authorization: Bearer header. Class:
	// [ErrUnauthenticated].
	ErrNoToken error = &verifyError{"smsgw24: no token presented", ErrUnauthenticated}

	// ErrBadToken reports a request whose token matches no configured
	// secret. Class: [ErrForbidden].
	ErrBadToken error = &verifyError{"smsgw24: token rejected", ErrForbidden}

	// ErrIPNotAllowed reports a request whose client address is not in the
	// allowlist, or cannot be determined (malformed RemoteAddr or
	// X-Forwarded-For). Class: [ErrForbidden].
	ErrIPNotAllowed error = &verifyError{"smsgw24: client address not allowed", ErrForbidden}

	// ErrSignatureMissing reports a request lacking one of the
	// webhook-id, webhook-timestamp and webhook-signature headers. Class:
	// [ErrUnauthenticated].
	ErrSignatureMissing error = &verifyError{"smsgw24: signature headers missing", ErrUnauthenticated}

	// ErrSignatureInvalid reports a request none of whose signatures is a
	// valid v1 signature of the request under a configured secret. Class:
	// [ErrForbidden].
	ErrSignatureInvalid error = &verifyError{"smsgw24: no valid signature", ErrForbidden}

	// ErrTimestampInvalid reports a webhook-timestamp header that is not a
	// decimal count of Unix seconds. Class: [ErrForbidden].
	ErrTimestampInvalid error = &verifyError{"smsgw24: webhook timestamp malformed", ErrForbidden}

	// ErrTimestampTooOld reports a correctly signed request whose timestamp
	// lies further in the past than the tolerance (a stale or replayed
	// message). Class: [ErrForbidden].
	ErrTimestampTooOld error = &verifyError{"smsgw24: webhook timestamp too old", ErrForbidden}

	// ErrTimestampTooNew reports a correctly signed request whose timestamp
	// lies further in the future than the tolerance. Class: [ErrForbidden].
	ErrTimestampTooNew error = &verifyError{"smsgw24: webhook timestamp too new", ErrForbidden}

	// ErrInvalidSecret reports a Standard Webhooks secret that is not
	// "whsec_" followed by standard base64 of at least one byte. It is
	// returned by [NewStandardWebhooks] and [SignStandardWebhook], and wrapped
	// together with [ErrNotConfigured] by [StandardWebhooks.Verify]. Class:
	// [ErrForbidden].
	ErrInvalidSecret error = &verifyError{"smsgw24: malformed Standard Webhooks secret", ErrForbidden}
)
