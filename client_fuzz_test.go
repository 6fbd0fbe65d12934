// client_fuzz_test.go fuzzes the reading of the REST API's answers: any
// bytes, given to every method of Client as the answer, give a result or
// an *APIError, never a panic, with times in UTC and results ordered by id;
// and the answer scanner accepts only what encoding/json accepts.

package smsgw24

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type fixedAnswer []byte

func (a fixedAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(a)), Request: r}, nil
}

func FuzzClientAnswer(f *testing.F) {
	files, err := filepath.Glob("testdata/api/*")
	require.NoError(f, err)
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var ar answerReader
		if _, err := ar.object(data); err == nil {
			require.True(t, json.Valid(data), "the scanner accepted what encoding/json refuses")
		}

		c := &Client{Token: "t", BaseURL: "http://api.invalid/getdata/", Retries: -1,
			HTTPClient: &http.Client{Transport: fixedAnswer(data)}}
		ctx := context.Background()
		check := func(err error) {
			t.Helper()
			if err != nil {
				var ae *APIError
				require.True(t, errors.As(err, &ae), "%v", err)
			}
		}
		utc := func(ts ...time.Time) {
			t.Helper()
			for _, tm := range ts {
				require.True(t, tm.IsZero() || tm.Location() == time.UTC, "%v", tm)
			}
		}

		ms, err := c.Messages(ctx, MessageQuery{})
		check(err)
		require.True(t, slices.IsSortedFunc(ms, func(a, b Message) int { return cmp.Compare(a.ID, b.ID) }))
		for _, m := range ms {
			utc(m.Created, m.SentTime, m.SendAt)
		}
		ds, err := c.Devices(ctx)
		check(err)
		require.True(t, slices.IsSortedFunc(ds, func(a, b Device) int { return cmp.Compare(a.ID, b.ID) }))
		for _, d := range ds {
			utc(d.Created, d.LastSeen)
		}
		st, err := c.DeviceStatus(ctx, 1)
		check(err)
		if err == nil {
			utc(st.LastSeen)
		}
		id, err := c.SendSMS(ctx, SMS{To: "+1", Body: "b", DeviceID: 1})
		check(err)
		require.True(t, err != nil || id > 0)
		s, err := c.SMSStatus(ctx, 1)
		check(err)
		require.True(t, err != nil || s != 0)
		_, err = c.CountMessages(ctx, MessageQuery{})
		check(err)
		_, err = c.GetToken(ctx, "e", "p")
		check(err)
		check(c.SendBulk(ctx, []SMS{{To: "+1", Body: "b", DeviceID: 1}}))
	})
}
