// outage_test.go stops PostgreSQL under a running inbox: Store fails
// while it is down, Run keeps going, and delivery resumes when it is back.

package inbox

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/internal/realserver"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPostgresOutage(t *testing.T) {
	server, err := realserver.StartPostgres()
	if err != nil {
		realserver.Skip(t, "PostgreSQL", "postgresql", err)
	}
	t.Cleanup(server.Remove)

	var rec recorder
	ib := open(t, server.URL, quick(Handlers{OnEvent: rec.OnEvent, StoreTimeout: 2 * time.Second}))
	run(t, ib)
	before := &smsgw24.TextMessage{SMSID: 1, DeviceID: 7, Body: "before"}
	require.NoError(t, ib.Store(t.Context(), before))
	waitFor(t, "the first event delivered", func() bool { return rec.count() == 1 })

	require.NoError(t, server.Stop())
	during := &smsgw24.TextMessage{SMSID: 2, DeviceID: 7, Body: "during"}
	for range 3 {
		assert.Error(t, ib.Store(t.Context(), during), "no acknowledgement while the database is down")
	}
	handler := &smsgw24.Handler{OnEvent: ib.Store}
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, smsgw24test.NewRequest(during, smsgw24test.RequestOptions{}))
	assert.Equal(t, http.StatusInternalServerError, w.Code, "the Handler answers 5xx: the gateway may send it again")

	require.NoError(t, server.Start())
	waitFor(t, "Store to succeed again", func() bool { return ib.Store(t.Context(), during) == nil })
	waitFor(t, "the event sent again delivered", func() bool { return rec.count() == 2 })
	assert.Equal(t, []smsgw24.Event{during}, rec.get(smsgw24.EventKey(during)))
	assert.Equal(t, []smsgw24.Event{before}, rec.get(smsgw24.EventKey(before)))
}

func TestRunStartsWhileTheDatabaseIsDown(t *testing.T) {
	server, err := realserver.StartPostgres()
	if err != nil {
		realserver.Skip(t, "PostgreSQL", "postgresql", err)
	}
	t.Cleanup(server.Remove)

	var rec recorder
	ib := open(t, server.URL, quick(Handlers{OnEvent: rec.OnEvent}))
	ev := &smsgw24.TextMessage{SMSID: 1, DeviceID: 7, Body: "stored before"}
	require.NoError(t, ib.Store(t.Context(), ev))
	require.NoError(t, server.Stop())
	run(t, ib) // cannot start yet: it keeps trying
	require.NoError(t, server.Start())
	waitFor(t, "the event delivered", func() bool { return rec.count() == 1 })
	assert.Equal(t, []smsgw24.Event{ev}, rec.get(smsgw24.EventKey(ev)))
}
