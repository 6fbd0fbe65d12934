// handler_timeout_test.go pins what the README says of Handler.Timeout: a
// callback that honours its context is answered 503 once the time is up;
// one that ignores it runs to its end, and its nil is answered 200.

package smsgw24

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestHandlerTimeoutNeedsACallbackThatHonoursItsContext(t *testing.T) {
	tests := []struct {
		name     string
		callback func(context.Context, *StatusUpdate) error
		status   int
	}{
		{"honours its context", func(ctx context.Context, _ *StatusUpdate) error {
			<-ctx.Done()
			return ctx.Err()
		}, http.StatusServiceUnavailable},
		{"ignores its context", func(ctx context.Context, _ *StatusUpdate) error {
			for ctx.Err() == nil { // past the Timeout, whatever it is
				time.Sleep(time.Millisecond)
			}
			return nil
		}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			h := rec.handler()
			h.Timeout = 5 * time.Millisecond
			h.OnStatus = tt.callback
			w := serve(h, fixtureRequest(t, "status_v2_json.txt", "?token="+testToken))
			assert.Equal(t, tt.status, w.Code, w.Body.String())
		})
	}
}
