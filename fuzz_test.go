// fuzz_test.go fuzzes the decoders: Parse as a whole, and the JSON and form
// scanners of wire.go against encoding/json and net/url, which they must
// agree with wherever those accept the input; and the Handler as a whole.

package smsgw24

import (
	"bytes"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
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

// FuzzScanJSON holds the JSON scanner to encoding/json: it accepts exactly
// the JSON objects that encoding/json accepts (but for the nesting and
// field limits), and reads the same values from them.
func FuzzScanJSON(f *testing.F) {
	addFixtureSeeds(f, func(_ string, body []byte) { f.Add(body) })
	for _, seed := range []string{
		`{"a":"\ud83d\ude00","b":"\ud800x","c":"\udc00\ud800","\u00e9":1}`,
		`{"a":[1,{"b":null}],"c":-0.5e+10,"d":true,"e":false}`,
		"{\"a\":\"\xff\xfe\"}", `{"a":"\u12"}`, `{"a":01}`, `{"a":1.}`, `{"a":-}`, `{} `, ` {"a":1}x`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var st wireState
		err := st.scanJSON(data)
		var want map[string]json.RawMessage
		jsonErr := json.Unmarshal(data, &want)
		isObject := jsonErr == nil && want != nil
		if err != nil {
			if isObject && !strings.Contains(err.Error(), "nests deeper") && !strings.Contains(err.Error(), "more than") {
				t.Fatalf("rejected a JSON object encoding/json accepts: %v", err)
			}
			return
		}
		require.True(t, isObject, "accepted what encoding/json rejects (%v)", jsonErr)
		got := map[string]rawField{}
		for _, field := range st.fields {
			got[string(field.name)] = field
		}
		require.Len(t, got, len(want))
		for name, raw := range want {
			field, ok := got[name]
			require.True(t, ok, "field %q", name)
			if field.kind == kindString {
				var s string
				require.NoError(t, json.Unmarshal(raw, &s))
				require.Equal(t, s, string(field.value), "field %q", name)
			} else {
				require.Equal(t, string(raw), string(field.value), "field %q", name)
			}
		}
	})
}

// FuzzParseWhole holds the reader of ids and codes to math/big, which reads
// decimal text exactly: a number is taken when, and only when, its value
// is a whole number that fits an int64, and then as that number.
func FuzzParseWhole(f *testing.F) {
	for _, seed := range []string{
		"42", " -7 ", "+7", "42.0", "4.2e1", "420E-1", "0.99999999999999999", "3281467.0000000001",
		"9007199254740993e0", "9.223372036854775807e18", "-9.223372036854775808e18", "1e19", "5.", ".5e1",
		"0e999", "1e-999", "1.2.3", "1e", "-", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, ok := parseWhole([]byte(text))
		trimmed := strings.TrimSpace(text)
		if strings.Trim(trimmed, "0123456789.eE+-") != "" {
			require.False(t, ok, "took %q", text)
			return
		}
		if e := strings.IndexAny(trimmed, "eE"); e >= 0 && len(strings.TrimLeft(trimmed[e+1:], "+-0")) > 4 {
			return // an exponent that math/big would spend its time on
		}
		want, isNumber := new(big.Rat).SetString(trimmed)
		if !isNumber || !want.IsInt() || !want.Num().IsInt64() {
			require.False(t, ok, "took %q as %d", text, got)
			return
		}
		// math/big is laxer about where signs and points may stand.
		if !ok {
			require.False(t, plainDecimal(trimmed), "refused %q, which is %s", text, want.RatString())
			return
		}
		require.Equal(t, want.Num().Int64(), got, "%q", text)
	})
}

// plainDecimal reports whether s is a decimal number as parseWhole reads
// it: a sign, digits with at most one point, an exponent with a sign.
func plainDecimal(s string) bool {
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	mantissa, exponent, hasExponent := strings.Cut(strings.ToLower(s), "e")
	if hasExponent {
		exponent = strings.TrimPrefix(strings.TrimPrefix(exponent, "+"), "-")
		if exponent == "" || strings.Trim(exponent, "0123456789") != "" {
			return false
		}
	}
	whole, frac, _ := strings.Cut(mantissa, ".")
	return whole+frac != "" && strings.Trim(whole+frac, "0123456789") == ""
}

// FuzzScanForm holds the form decoder to net/url wherever url.ParseQuery
// accepts the body.
func FuzzScanForm(f *testing.F) {
	addFixtureSeeds(f, func(_ string, body []byte) { f.Add(body) })
	f.Add([]byte("a=1&a=2&b=%2B1+2&&c&=d&e=%41%zz"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var st wireState
		err := st.scanForm(data)
		want, urlErr := url.ParseQuery(string(data))
		if urlErr != nil || err != nil {
			return // url is stricter about '%' and ';'; we keep what it rejects
		}
		// Space around a name is no part of it for us, unlike for net/url.
		trimmed := url.Values{}
		for name, values := range want {
			name = strings.TrimSpace(name)
			trimmed[name] = append(trimmed[name], values...)
		}
		got := url.Values{}
		for _, field := range st.fields {
			got[string(field.name)] = append(got[string(field.name)], string(field.value))
		}
		if len(trimmed) == len(want) {
			assert.Equal(t, trimmed, got)
			return
		}
		// Names that differ only in space merged: the values are the same,
		// though their order across those names may differ.
		require.Len(t, got, len(trimmed))
		for name, values := range trimmed {
			assert.ElementsMatch(t, values, got[name], "name %q", name)
		}
	})
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
