// combine.go holds All and Any, which combine verifiers.

package smsgw24

import (
	"errors"
	"fmt"
	"net/http"
)

// All returns a [Verifier] that accepts a request only when every one of
// verifiers accepts it. They run in order and the first error is returned, so
// list cheap checks ([IPAllowlist]) before costly ones. With no verifier, or a
// nil one, it rejects every request with [ErrNotConfigured]. When every one
// of verifiers is a [RequestVerifier], so is the Verifier All returns.
func All(verifiers ...Verifier) Verifier {
	vs := allVerifier(append([]Verifier(nil), verifiers...))
	if allRequestVerifiers(vs) {
		return allRequestVerifier{vs}
	}
	return vs
}

// Any returns a [Verifier] that accepts a request when at least one of
// verifiers accepts it; they run in order until one does. When all reject it,
// the error returned is the first one of class [ErrForbidden] if there is one
// (some credential was presented but rejected), otherwise the first error.
// With no verifier, or a nil one, it rejects every request with
// [ErrNotConfigured]. When every one of verifiers is a [RequestVerifier], so
// is the Verifier Any returns.
func Any(verifiers ...Verifier) Verifier {
	vs := anyVerifier(append([]Verifier(nil), verifiers...))
	if allRequestVerifiers(vs) {
		return anyRequestVerifier{vs}
	}
	return vs
}

// allRequestVerifiers reports whether every one of vs decides without the
// body. A single one that needs it makes the combination need it.
func allRequestVerifiers(vs []Verifier) bool {
	for _, v := range vs {
		if _, ok := v.(RequestVerifier); !ok {
			return false
		}
	}
	return true
}

// allVerifier is All of verifiers, one of which may need the body;
// allRequestVerifier is All of RequestVerifiers.
type allVerifier []Verifier

type allRequestVerifier struct{ allVerifier }

func (vs allVerifier) Verify(r *http.Request, body []byte) error {
	return verifyAll(vs, func(v Verifier) error { return v.Verify(r, body) })
}

func (a allRequestVerifier) VerifyRequest(r *http.Request) error {
	return verifyAll(a.allVerifier, func(v Verifier) error { return v.(RequestVerifier).VerifyRequest(r) })
}

func (vs allVerifier) checkConfig() error { return checkCombinedConfig(vs) }

func verifyAll(vs []Verifier, verify func(Verifier) error) error {
	if len(vs) == 0 {
		return ErrNotConfigured
	}
	for _, v := range vs {
		if v == nil {
			return ErrNotConfigured
		}
		if err := verify(v); err != nil {
			return err
		}
	}
	return nil
}

// anyVerifier is Any of verifiers, one of which may need the body;
// anyRequestVerifier is Any of RequestVerifiers.
type anyVerifier []Verifier

type anyRequestVerifier struct{ anyVerifier }

func (vs anyVerifier) Verify(r *http.Request, body []byte) error {
	return verifyAny(vs, func(v Verifier) error { return v.Verify(r, body) })
}

func (a anyRequestVerifier) VerifyRequest(r *http.Request) error {
	return verifyAny(a.anyVerifier, func(v Verifier) error { return v.(RequestVerifier).VerifyRequest(r) })
}

func (vs anyVerifier) checkConfig() error { return checkCombinedConfig(vs) }

func verifyAny(vs []Verifier, verify func(Verifier) error) error {
	if len(vs) == 0 {
		return ErrNotConfigured
	}
	for _, v := range vs {
		if v == nil {
			return ErrNotConfigured
		}
	}
	var first, forbidden error
	for _, v := range vs {
		err := verify(v)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
		if forbidden == nil && errors.Is(err, ErrForbidden) {
			forbidden = err
		}
	}
	if forbidden != nil {
		return forbidden
	}
	return first
}

// checkCombinedConfig reports the configuration errors of All or Any of vs:
// an empty list, a nil verifier, or one that rejects every request. Any
// still accepts through the others then, but a secret left empty is a
// mistake in both.
func checkCombinedConfig(vs []Verifier) error {
	if len(vs) == 0 {
		return fmt.Errorf("%w: no verifier to combine", ErrNotConfigured)
	}
	var errs []error
	for _, v := range vs {
		if v == nil {
			return fmt.Errorf("%w: a nil verifier among those combined", ErrNotConfigured)
		}
		if err := checkVerifierConfig(v); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
