// kinds_test.go holds each kind of event to every place that tells the
// kinds apart, so that a new kind fails here until each knows it (doc.go
// lists them).

package smsgw24

import (
	"context"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kindExamples has one event of each kind, every typed field set.
var kindExamples = map[Kind]Event{
	KindStatus: &StatusUpdate{SMSID: 42, Status: StatusDelivered, StatusMessage: "Delivered", SendTo: "+79001234567",
		SentTime: time.Date(2025, 6, 2, 12, 10, 11, 0, time.UTC), Channel: ChannelSIM2, DeviceID: 7},
	KindText: &TextMessage{SMSID: 43, Address: "+79001234567", Body: "hi", Date: time.Date(2025, 6, 2, 12, 10, 11, 0, time.UTC),
		DateSent: time.Date(2025, 6, 2, 12, 10, 10, 0, time.UTC), InternalID: 5, Channel: ChannelWhatsApp, DeviceID: 7, DeviceName: "phone"},
	KindImage: &ImageMessage{SMSID: 44, Address: "+79001234567", Date: time.Date(2025, 6, 2, 12, 10, 11, 0, time.UTC),
		ImageURL: "https://smsgateway24.s3.eu-central-1.amazonaws.com/img/a.jpg", Channel: ChannelWhatsApp, DeviceID: 7},
}

// recordLogs keeps the attributes of each log record.
type recordLogs struct{ attrs [][]string }

func (l *recordLogs) Enabled(context.Context, slog.Level) bool { return true }
func (l *recordLogs) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *recordLogs) WithGroup(string) slog.Handler            { return l }
func (l *recordLogs) Handle(_ context.Context, r slog.Record) error {
	var keys []string
	r.Attrs(func(a slog.Attr) bool { keys = append(keys, a.Key); return true })
	l.attrs = append(l.attrs, keys)
	return nil
}

func TestEveryKindIsHandled(t *testing.T) {
	require.Len(t, kindExamples, len(Kinds()), "kindExamples needs an event of each kind")
	for _, kind := range Kinds() {
		ev, ok := kindExamples[kind]
		require.True(t, ok, "no example of kind %s", kind)
		require.Equal(t, kind, ev.Kind())
		require.NoError(t, ev.Validate())

		// Decoding: the event's JSON is read back as the same kind, every
		// typed field read (Extra stays empty).
		data, err := ev.MarshalJSON()
		require.NoError(t, err)
		back, err := Parse("application/json", data)
		require.NoError(t, err, kind)
		assert.Equal(t, ev, back, kind)

		// The Handler: a callback of its own, named after the kind, is the
		// one that gets the event.
		field, ok := reflect.TypeOf(Handler{}).FieldByName("On" + callbackSuffix(kind))
		require.True(t, ok, "Handler has no On%s for kind %s", callbackSuffix(kind), kind)
		var got Event
		var h Handler
		cb := reflect.MakeFunc(field.Type, func(args []reflect.Value) []reflect.Value {
			got = args[1].Interface().(Event)
			return []reflect.Value{reflect.Zero(field.Type.Out(0))}
		})
		assert.False(t, h.hasCallback(ev), kind)
		reflect.ValueOf(&h).Elem().FieldByIndex(field.Index).Set(cb)
		assert.True(t, h.hasCallback(ev), kind)
		require.NoError(t, h.call(context.Background(), ev))
		assert.Same(t, ev, got, kind)

		// Its debug record says more than the kind and the id.
		logs := &recordLogs{}
		h.Logger = slog.New(logs)
		h.logEvent(context.Background(), "event", ev)
		require.Len(t, logs.attrs, 1)
		assert.Greater(t, len(logs.attrs[0]), 2, "logEvent says nothing of kind %s", kind)

		// Duplicates: the key names the kind and two numbers.
		key := EventKey(ev)
		parts := strings.Split(key, ":")
		assert.Len(t, parts, 3, "EventKey %q", key)
		assert.Equal(t, string(kind), parts[0])
		assert.NotEqual(t, "0", parts[len(parts)-1], "EventKey %q has no id", key)
	}
}
