// fuzz_test.go fuzzes Parse and the Handler as a whole: no panic, no echo
// of the body, a round trip through MarshalJSON. The byte-level readers
// have fuzz targets of their own beside them: FuzzScanJSON in
// scanjson_test.go, FuzzPlainRun in jsonstring_test.go, FuzzScanForm in
// form_test.go, FuzzParseWhole in number_test.go, FuzzDateText in
// date_test.go and FuzzASCIIEqualFold in fields_test.go; the token
// comparison has FuzzTokenCompare in token_test.go.

package smsgw24

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24/internal/fixture"
)

// addFixtureSeeds seeds a fuzz target with every fixture, valid or not.
func addFixtureSeeds(f *testing.F, add func(contentType string, body []byte)) {
	for _, fx := range fixture.All() {
		add(fx.ContentType, fx.Body)
	}
	invalid, err := filepath.Glob("testdata/invalid/*.txt")
	require.NoError(f, err)
	for _, file := range invalid {
		add(readFixture(f, file))
	}
}

func FuzzParse(f *testing.F) {
	addFixtureSeeds(f, func(ct string, body []byte) { f.Add(ct, body) })
	for _, seed := range []struct{ contentType, body string }{
		{"application/json", `{"sms_id":1,"date":{"date":"2020-01-11 16:09:53","timezone_type":3,"timezone":"Europe//Berlin"}}`},
		{"application/json", `{"sms_id":1,"date":{"date":"2020-01-11 16:09:53","timezone_type":3,"timezone":"Europe/Berlin"}}`},
		{"application/json", `{"sms_id":1,"date":{"date":"2020-01-11 16:09:53","timezone_type":1,"timezone":" 02:00"}}`},
		{"", "sms_id=4.2e1&status_id=7.0&senttime=2020-08-11+16:09:53.5+02:00"},
		{"text/plain", "sms_id=3281467.0000000001&status_id=5&body=x"},
		{"application/octet-stream", "--b\r\nContent-Disposition: attachment; name=\"sms_id\"; filename=\"sms_id\"\r\n\r\n7\r\n--b--\r\n"},
		{"application/json", `"{\"sms_id\":7,\"status_id\":null,\"body\":\"a=b\"}"`},
	} {
		f.Add(seed.contentType, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		ev, err := Parse(contentType, body)
		if err != nil {
			require.Nil(t, ev)
			return
		}
		require.Positive(t, ev.ID(), "an accepted body has an id")
		require.NoError(t, ev.Validate())
		if !eventTextIsUTF8(ev) {
			return // JSON cannot carry invalid UTF-8; it comes back as U+FFFD
		}
		data, err := ev.MarshalJSON()
		require.NoError(t, err)
		require.True(t, json.Valid(data), "%s", data)
		back, err := Parse("application/json", data)
		require.NoError(t, err, "%s", data)
		require.Equal(t, ev, back, "%s", data)
	})
}

// eventTextIsUTF8 reports whether every string of the event, and every
// name of its Extra, is valid UTF-8.
func eventTextIsUTF8(ev Event) bool {
	v := reflect.ValueOf(ev).Elem()
	for i := range v.NumField() {
		if s, ok := v.Field(i).Interface().(string); ok && !utf8.ValidString(s) {
			return false
		}
		if extra, ok := v.Field(i).Interface().(Extra); ok {
			for name := range extra {
				if !utf8.ValidString(name) {
					return false
				}
			}
		}
	}
	return true
}

// FuzzServeHTTP serves whatever body, media type and credential to a
// Handler with a token and a small cap. It never panics; it answers 200
// only to a request with the token and a body Parse accepts, after the
// callback received that very event; every other answer is a 4xx that
// reached no callback.
func FuzzServeHTTP(f *testing.F) {
	add := func(contentType string, body []byte) {
		for credential := range uint8(4) {
			f.Add(contentType, body, credential)
		}
	}
	addFixtureSeeds(f, add)
	hostile, err := filepath.Glob("testdata/hostile/*.txt")
	require.NoError(f, err)
	for _, file := range hostile {
		add(readFixture(f, file))
	}
	const maxBody = 4 << 10
	f.Fuzz(func(t *testing.T, contentType string, body []byte, credential uint8) {
		rec := &recorder{}
		h := rec.handler()
		h.MaxBodyBytes = maxBody
		target := "/hook"
		switch credential % 4 {
		case 0:
			target += "?token=" + testToken
		case 3:
			target += "?token=guess"
		}
		r := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		if credential%4 == 1 {
			r.Header.Set("Authorization", "Bearer "+testToken)
		}
		w := serve(h, r)

		if w.Code == http.StatusOK {
			require.Less(t, credential%4, uint8(2), "accepted without the token")
			require.LessOrEqual(t, len(body), maxBody)
			ev, err := Parse(contentType, body)
			require.NoError(t, err, "answered 200 to a body Parse rejects")
			require.Positive(t, ev.ID())
			require.Equal(t, 1, rec.count())
			require.Equal(t, ev, rec.events[0])
			return
		}
		require.Zero(t, rec.count(), "a rejected request reached a callback")
		require.True(t, w.Code >= 400 && w.Code < 500, "answered %d", w.Code)
		var answer struct {
			Error  string `json:"error"`
			Status int    `json:"status"`
		}
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &answer), w.Body.String())
		require.Equal(t, w.Code, answer.Status)
		require.NotEmpty(t, answer.Error)
		switch { // the token is checked before the body is read, and capped
		case credential%4 == 2:
			require.Equal(t, http.StatusUnauthorized, w.Code)
		case credential%4 == 3:
			require.Equal(t, http.StatusForbidden, w.Code)
		case len(body) > maxBody:
			require.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
		default:
			_, err := Parse(contentType, body)
			require.Error(t, err, "answered %d to a body Parse accepts", w.Code)
			require.Equal(t, decodeStatus(err), w.Code)
		}
	})
}
