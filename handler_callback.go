// handler_callback.go runs the user's callbacks for the Handler: which
// callback an event's kind goes to, the call itself under Timeout with
// panics turned into errors, and the debug record of each event, without
// message text unless LogMessageText asks for it.

package smsgw24

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
)

// callbackSuffix names the callback field of kind after its "On".
func callbackSuffix(kind Kind) string {
	switch kind {
	case KindStatus:
		return "Status"
	case KindText:
		return "Text"
	}
	return "Image"
}

func (h *Handler) hasCallback(ev Event) bool {
	if h.OnEvent != nil {
		return true
	}
	switch ev.(type) {
	case *StatusUpdate:
		return h.OnStatus != nil
	case *TextMessage:
		return h.OnText != nil
	case *ImageMessage:
		return h.OnImage != nil
	}
	return false
}

// call runs the callback for ev, turning a panic into an error whose stack
// is logged.
func (h *Handler) call(ctx context.Context, ev Event) (err error) {
	if h.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, h.Timeout)
		defer cancel()
	}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			h.logger().LogAttrs(ctx, slog.LevelError, "webhook callback panicked",
				slog.String("kind", string(ev.Kind())), slog.Int64("sms_id", ev.ID()),
				slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			err = ErrCallbackPanic
		}
	}()
	switch e := ev.(type) {
	case *StatusUpdate:
		if h.OnStatus != nil {
			return h.OnStatus(ctx, e)
		}
	case *TextMessage:
		if h.OnText != nil {
			return h.OnText(ctx, e)
		}
	case *ImageMessage:
		if h.OnImage != nil {
			return h.OnImage(ctx, e)
		}
	}
	return h.OnEvent(ctx, ev)
}

func (h *Handler) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

// logEvent writes the debug record of a handled event.
func (h *Handler) logEvent(ctx context.Context, msg string, ev Event) {
	log := h.logger()
	if !log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.String("kind", string(ev.Kind())), slog.Int64("sms_id", ev.ID())}
	switch e := ev.(type) {
	case *StatusUpdate:
		attrs = append(attrs, slog.Int("status", int(e.Status)), slog.String("status_name", e.Status.String()))
	case *TextMessage:
		attrs = append(attrs, slog.String("channel", e.Channel.String()))
		if h.LogMessageText {
			attrs = append(attrs, slog.String("address", e.Address), slog.String("body", e.Body))
		}
	case *ImageMessage:
		attrs = append(attrs, slog.String("channel", e.Channel.String()))
		if h.LogMessageText {
			attrs = append(attrs, slog.String("address", e.Address), slog.String("img_url", e.ImageURL))
		}
	}
	log.LogAttrs(ctx, slog.LevelDebug, msg, attrs...)
}
