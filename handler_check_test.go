// handler_check_test.go pins Handler.Check: each misconfiguration it finds,
// by class, and the handlers it passes.

package smsgw24_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24"
)

func TestHandlerCheck(t *testing.T) {
	onStatus := func(context.Context, *smsgw24.StatusUpdate) error { return nil }
	onText := func(context.Context, *smsgw24.TextMessage) error { return nil }
	onImage := func(context.Context, *smsgw24.ImageMessage) error { return nil }
	onEvent := func(context.Context, smsgw24.Event) error { return nil }
	allow, err := smsgw24.ParsePrefixes("192.0.2.1")
	require.NoError(t, err)
	const secret = "check-secret-1"

	tests := []struct {
		name string
		h    smsgw24.Handler
		want []error // the class of each finding, in order; nil: none
	}{
		{name: "complete", h: smsgw24.Handler{OnStatus: onStatus, OnText: onText, OnImage: onImage, Verifier: smsgw24.Token(secret)}},
		{name: "OnEvent serves every kind", h: smsgw24.Handler{OnEvent: onEvent, Verifier: smsgw24.Token(secret)}},
		{name: "OnEvent serves the rest", h: smsgw24.Handler{OnText: onText, OnEvent: onEvent, Verifier: smsgw24.Token(secret)}},
		{name: "accepting every request on purpose", h: smsgw24.Handler{OnEvent: onEvent,
			Verifier: smsgw24.VerifierFunc(func(*http.Request, []byte) error { return nil })}},
		{name: "IPAllowlist", h: smsgw24.Handler{OnEvent: onEvent, Verifier: &smsgw24.IPAllowlist{Allow: allow}}},
		{name: "All of configured verifiers", h: smsgw24.Handler{OnEvent: onEvent,
			Verifier: smsgw24.All(smsgw24.Token(secret), &smsgw24.IPAllowlist{Allow: allow})}},

		{name: "no callback at all", h: smsgw24.Handler{Verifier: smsgw24.Token(secret)},
			want: []error{smsgw24.ErrNoCallback, smsgw24.ErrNoCallback, smsgw24.ErrNoCallback}},
		{name: "only OnText", h: smsgw24.Handler{OnText: onText, Verifier: smsgw24.Token(secret)},
			want: []error{smsgw24.ErrNoCallback, smsgw24.ErrNoCallback}},
		{name: "no Verifier", h: smsgw24.Handler{OnEvent: onEvent},
			want: []error{smsgw24.ErrNoVerifier}},
		{name: "zero Handler", h: smsgw24.Handler{},
			want: []error{smsgw24.ErrNoCallback, smsgw24.ErrNoCallback, smsgw24.ErrNoCallback, smsgw24.ErrNoVerifier}},
		{name: "empty token", h: smsgw24.Handler{OnEvent: onEvent, Verifier: smsgw24.Token("")},
			want: []error{smsgw24.ErrNotConfigured}},
		{name: "token from an unset variable", h: smsgw24.Handler{OnEvent: onEvent, Verifier: smsgw24.Token(os.Getenv("SMSGW24_CHECK_TEST_UNSET"))},
			want: []error{smsgw24.ErrNotConfigured}},
		{name: "nil VerifierFunc", h: smsgw24.Handler{OnEvent: onEvent, Verifier: smsgw24.VerifierFunc(nil)},
			want: []error{smsgw24.ErrNotConfigured}},
		{name: "zero IPAllowlist", h: smsgw24.Handler{OnEvent: onEvent, Verifier: &smsgw24.IPAllowlist{}},
			want: []error{smsgw24.ErrNotConfigured}},
		{name: "StandardWebhooks without secret", h: smsgw24.Handler{OnEvent: onEvent, Verifier: &smsgw24.StandardWebhooks{}},
			want: []error{smsgw24.ErrNotConfigured}},
		{name: "StandardWebhooks with a malformed secret", h: smsgw24.Handler{OnEvent: onEvent, Verifier: &smsgw24.StandardWebhooks{Secrets: []string{"whsec_!!" + secret}}},
			want: []error{smsgw24.ErrInvalidSecret}},
		{name: "All holding an empty token", h: smsgw24.Handler{OnEvent: onEvent, Verifier: smsgw24.All(&smsgw24.IPAllowlist{Allow: allow}, smsgw24.Token(""))},
			want: []error{smsgw24.ErrNotConfigured}},
		{name: "Any holding an empty token", h: smsgw24.Handler{OnEvent: onEvent, Verifier: smsgw24.Any(smsgw24.Token(secret), smsgw24.Token(""))},
			want: []error{smsgw24.ErrNotConfigured}},
		{name: "All of nothing", h: smsgw24.Handler{OnEvent: onEvent, Verifier: smsgw24.All()},
			want: []error{smsgw24.ErrNotConfigured}},
		{name: "Any holding nil", h: smsgw24.Handler{OnEvent: onEvent, Verifier: smsgw24.Any(smsgw24.Token(secret), nil)},
			want: []error{smsgw24.ErrNotConfigured}},
		{name: "nil IPAllowlist", h: smsgw24.Handler{OnEvent: onEvent, Verifier: (*smsgw24.IPAllowlist)(nil)},
			want: []error{smsgw24.ErrNotConfigured}},
		{name: "nil StandardWebhooks", h: smsgw24.Handler{OnEvent: onEvent, Verifier: (*smsgw24.StandardWebhooks)(nil)},
			want: []error{smsgw24.ErrNotConfigured}},
		{name: "every problem at once", h: smsgw24.Handler{OnStatus: onStatus, Verifier: smsgw24.Token("")},
			want: []error{smsgw24.ErrNoCallback, smsgw24.ErrNoCallback, smsgw24.ErrNotConfigured}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.h.Check()
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			joined, ok := err.(interface{ Unwrap() []error })
			require.True(t, ok, "Check joins its findings")
			findings := joined.Unwrap()
			require.Len(t, findings, len(tt.want))
			for i, want := range tt.want {
				assert.ErrorIs(t, findings[i], want)
			}
			assert.NotContains(t, err.Error(), secret)
		})
	}
}

// TestHandlerCheckNamesTheKinds: each missing callback is named by kind,
// as a Handler would answer 501 for it.
func TestHandlerCheckNamesTheKinds(t *testing.T) {
	h := smsgw24.Handler{OnImage: func(context.Context, *smsgw24.ImageMessage) error { return nil }, Verifier: smsgw24.Token("x")}
	err := h.Check()
	require.ErrorIs(t, err, smsgw24.ErrNoCallback)
	assert.Contains(t, err.Error(), string(smsgw24.KindStatus))
	assert.Contains(t, err.Error(), string(smsgw24.KindText))
	assert.NotContains(t, err.Error(), string(smsgw24.KindImage))
}

// A program checks its Handler before it listens, and refuses to start
// with one that would fail the gateway's webhooks.
func ExampleHandler_Check() {
	h := &smsgw24.Handler{
		OnText:   func(context.Context, *smsgw24.TextMessage) error { return nil },
		Verifier: smsgw24.Token(os.Getenv("SMSGW24_EXAMPLE_UNSET")), // forgotten in the deployment
	}
	if err := h.Check(); err != nil {
		fmt.Println(err)
		return // in main: log it and exit non-zero
	}
	// http.Handle("POST /smsgw24", h)

	// Output:
	// smsgw24: no callback for this kind of event: status (set OnStatus or OnEvent)
	// smsgw24: no callback for this kind of event: image (set OnImage or OnEvent)
	// smsgw24: verifier not configured, rejecting: Token has no secret
}
