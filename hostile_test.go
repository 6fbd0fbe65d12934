// hostile_test.go pins every body of testdata/hostile/ to the answer the
// Handler gives it: malformed, truncated, oversized, deeply nested, wrongly
// encoded and wrongly typed bodies, each answered with a 4xx, none reaching a
// callback nor echoed. Each body is pinned to the class of its error (the
// sentinel it wraps), the status that class is answered with, and the field
// a *FieldError names; the exact text is pinned for one body of each shape
// of message only, so that rewording a message or moving an offset changes a
// few lines here, not the whole table. The fixtures are bodies that must be
// rejected; the tolerant decoder accepts many odd ones (see internal/fixture/webhooks/),
// which do not belong here.

package smsgw24

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileMaxBody is the body cap of the Handler the corpus is served to,
// small enough for the oversized_* bodies to exceed.
const hostileMaxBody = 16 << 10

// hostileSecret is a word some bodies carry in their text, which no answer
// may repeat.
const hostileSecret = "SECRET"

// hostileEchoRun is the length of the shortest run of a body's bytes that an
// answer must not hold: longer than any field name the answer may give
// (status_id).
const hostileEchoRun = 10

// hostileStatus is the status the Handler answers each class of error with,
// as its documentation lists them. Its keys are every class a rejected body
// may have.
var hostileStatus = map[error]int{
	ErrEmptyBody:            http.StatusBadRequest,
	ErrMalformedBody:        http.StatusBadRequest,
	ErrMissingField:         http.StatusUnprocessableEntity,
	ErrInvalidField:         http.StatusUnprocessableEntity,
	ErrUnsupportedMediaType: http.StatusUnsupportedMediaType,
	ErrBodyTooLarge:         http.StatusRequestEntityTooLarge,
}

// hostileAnswer is what a body's error is: its class, and the field of a
// *FieldError.
type hostileAnswer struct {
	class error  // the sentinel the error wraps: a key of hostileStatus
	field string // the FieldError's Field; "" for an error that is no *FieldError
}

var (
	emptyBody       = hostileAnswer{class: ErrEmptyBody}
	malformedBody   = hostileAnswer{class: ErrMalformedBody}
	unsupportedType = hostileAnswer{class: ErrUnsupportedMediaType}
	bodyTooLarge    = hostileAnswer{class: ErrBodyTooLarge}
	missingSMSID    = hostileAnswer{class: ErrMissingField, field: "sms_id"}
	invalidSMSID    = hostileAnswer{class: ErrInvalidField, field: "sms_id"}
	missingStatusID = hostileAnswer{class: ErrMissingField, field: "status_id"}
	invalidStatusID = hostileAnswer{class: ErrInvalidField, field: "status_id"}
)

var hostileBodies = map[string]hostileAnswer{
	// Not JSON, though it starts like it or says it is.
	"json_truncated_in_string.txt":            malformedBody,
	"json_truncated_after_colon.txt":          malformedBody,
	"json_truncated_in_number.txt":            malformedBody,
	"json_truncated_after_comma.txt":          malformedBody,
	"json_open_brace_only.txt":                malformedBody,
	"json_missing_closing_brace.txt":          malformedBody,
	"json_trailing_comma.txt":                 malformedBody,
	"json_single_quotes.txt":                  malformedBody,
	"json_unquoted_keys.txt":                  malformedBody,
	"json_nan.txt":                            malformedBody,
	"json_infinity.txt":                       malformedBody,
	"json_plus_sign_number.txt":               malformedBody,
	"json_leading_zero.txt":                   malformedBody,
	"json_hex_number.txt":                     malformedBody,
	"json_comment.txt":                        malformedBody,
	"json_two_objects.txt":                    malformedBody,
	"json_array_of_events.txt":                malformedBody,
	"json_bare_string.txt":                    malformedBody,
	"json_bare_number.txt":                    malformedBody,
	"json_null.txt":                           malformedBody,
	"json_control_character_in_string.txt":    malformedBody,
	"json_nul_byte_in_string.txt":             malformedBody,
	"json_nul_byte_between_fields.txt":        malformedBody,
	"json_bad_escape.txt":                     malformedBody,
	"json_short_unicode_escape.txt":           malformedBody,
	"json_nested_arrays_1000_levels.txt":      malformedBody,
	"json_nested_objects_1000_levels.txt":     malformedBody,
	"json_nested_unclosed_1000_levels.txt":    malformedBody,
	"json_top_level_nested_1000_levels.txt":   malformedBody,
	"json_utf16le_with_bom.txt":               malformedBody,
	"json_utf16be_without_bom.txt":            malformedBody,
	"json_gzip_compressed.txt":                malformedBody,
	"json_percent_encoded.txt":                malformedBody,
	"json_whitespace_only.txt":                emptyBody,
	"json_encoded_twice_not_an_object.txt":    malformedBody,
	"json_encoded_twice_truncated_inside.txt": malformedBody,
	"json_encoded_three_times.txt":            malformedBody,
	"json_empty_object.txt":                   missingSMSID,

	// JSON without a usable identity.
	"sms_id_absent_status.txt":                       missingSMSID,
	"sms_id_absent_image.txt":                        missingSMSID,
	"sms_id_only_in_nested_object.txt":               missingSMSID,
	"sms_id_with_space_in_name.txt":                  missingSMSID,
	"sms_id_invalid_utf8_in_name.txt":                missingSMSID,
	"sms_id_empty_string.txt":                        missingSMSID,
	"sms_id_blank_string.txt":                        missingSMSID,
	"sms_id_duplicate_last_null.txt":                 missingSMSID,
	"sms_id_true.txt":                                invalidSMSID,
	"sms_id_object.txt":                              invalidSMSID,
	"sms_id_array.txt":                               invalidSMSID,
	"sms_id_fraction.txt":                            invalidSMSID,
	"sms_id_fraction_in_string.txt":                  invalidSMSID,
	"sms_id_fraction_rounds_to_one.txt":              invalidSMSID,
	"sms_id_fraction_below_float_precision.txt":      invalidSMSID,
	"sms_id_exponent_leaves_a_fraction.txt":          invalidSMSID,
	"sms_id_max_int64_plus_one.txt":                  invalidSMSID,
	"sms_id_exponent_overflow.txt":                   invalidSMSID,
	"sms_id_5000_digits.txt":                         invalidSMSID,
	"sms_id_hex_string.txt":                          invalidSMSID,
	"sms_id_invalid_utf8_value.txt":                  invalidSMSID,
	"sms_id_duplicate_last_garbage.txt":              invalidSMSID,
	"sms_id_negative.txt":                            invalidSMSID,
	"sms_id_min_int64.txt":                           invalidSMSID,
	"status_id_empty_string.txt":                     missingStatusID,
	"status_id_duplicate_last_null.txt":              missingStatusID,
	"status_id_false.txt":                            invalidStatusID,
	"status_id_object.txt":                           invalidStatusID,
	"status_id_fraction.txt":                         invalidStatusID,
	"status_id_fraction_rounds_to_seven.txt":         invalidStatusID,
	"status_id_null_in_status_body.txt":              missingStatusID,
	"status_id_huge_number.txt":                      invalidStatusID,
	"status_id_unknown_name.txt":                     invalidStatusID,
	"form_without_sms_id.txt":                        missingSMSID,
	"form_sms_id_empty.txt":                          missingSMSID,
	"form_sms_id_duplicate_last_empty.txt":           missingSMSID,
	"form_only_separators.txt":                       missingSMSID,
	"form_json_in_a_value.txt":                       missingSMSID,
	"form_sms_id_not_a_number.txt":                   invalidSMSID,
	"form_sms_id_fraction_below_float_precision.txt": invalidSMSID,
	"form_sms_id_percent_nul.txt":                    invalidSMSID,
	"form_sms_id_raw_nul.txt":                        invalidSMSID,
	"form_status_id_broken_escape.txt":               invalidStatusID,
	"form_too_many_fields.txt":                       malformedBody,

	// Multipart that cannot be read, or holds no identity.
	"multipart_truncated.txt":                       malformedBody,
	"multipart_under_json_header_truncated.txt":     malformedBody,
	"multipart_malformed_part_header.txt":           malformedBody,
	"multipart_too_many_parts.txt":                  malformedBody,
	"multipart_without_boundary_after_preamble.txt": malformedBody,
	"multipart_sms_id_as_binary_file.txt":           missingSMSID,
	"multipart_parts_without_names.txt":             missingSMSID,

	// Neither JSON nor a form.
	"xml_body.txt":                        unsupportedType,
	"text_plain_body.txt":                 unsupportedType,
	"json_string_then_garbage.txt":        unsupportedType,
	"text_plain_sentence_with_equals.txt": unsupportedType,
	"octet_stream_body.txt":               unsupportedType,
	"octet_stream_binary_with_equals.txt": unsupportedType,
	"yaml_body.txt":                       unsupportedType,
	"csv_body.txt":                        unsupportedType,

	// Over the cap, whatever they hold.
	"oversized_json.txt":   bodyTooLarge,
	"oversized_form.txt":   bodyTooLarge,
	"oversized_binary.txt": bodyTooLarge,

	// Nothing at all.
	"empty_body_under_form_header.txt": emptyBody,
	"empty_body_without_header.txt":    emptyBody,
}

// hostileText is the whole error text of a body.
type hostileText struct {
	text    string // the answer's, and Parse's unless the body is over the cap
	chunked string // the answer's when the body comes without Content-Length, if it differs
}

// hostileTexts pins the exact text of one body for each shape of message: a
// syntax error with its offset, a nesting error, a field error, a media
// type, a body over the cap.
var hostileTexts = map[string]hostileText{
	"json_trailing_comma.txt": {
		text: "smsgw24: malformed body: JSON has an unexpected character at byte 32, want a field name"},
	"json_nested_objects_1000_levels.txt": {
		text: "smsgw24: malformed body: JSON nests deeper than 32 levels"},
	"status_id_unknown_name.txt": {
		text: "smsgw24: invalid field: status_id is neither a status code nor a status name"},
	"xml_body.txt": {
		text: "smsgw24: unsupported media type: application/xml, and the body is neither JSON nor a form"},
	"oversized_json.txt": {
		text:    "smsgw24: body too large: 18052 bytes, the limit is 16384",
		chunked: "smsgw24: body too large: more than 16384 bytes"},
}

func hostileRequest(t *testing.T, name string, contentLength bool) *http.Request {
	t.Helper()
	contentType, body := readFixture(t, filepath.Join("testdata", "hostile", name))
	r := httptest.NewRequest(http.MethodPost, "/hook?token="+testToken, bytes.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if !contentLength {
		r.ContentLength = -1 // as a chunked request: the cap is found while reading
	}
	return r
}

// assertHostileError checks that err wraps want.class and no other class,
// and names want.field if it is a *FieldError.
func assertHostileError(t *testing.T, want hostileAnswer, err error) {
	t.Helper()
	for class := range hostileStatus {
		assert.Equal(t, class == want.class, errors.Is(err, class), "errors.Is(%q, %q)", err, class)
	}
	var fe *FieldError
	if want.field == "" {
		assert.False(t, errors.As(err, &fe), "%q is a *FieldError", err)
	} else if assert.True(t, errors.As(err, &fe), "%q is no *FieldError", err) {
		assert.Equal(t, want.field, fe.Field)
	}
}

// echoedRun returns the first run of n bytes of body that answer holds, or
// "" if there is none.
func echoedRun(body []byte, answer string, n int) string {
	for i := 0; i+n <= len(body); i++ {
		if strings.Contains(answer, string(body[i:i+n])) {
			return string(body[i : i+n])
		}
	}
	return ""
}

func TestHostileBodies(t *testing.T) {
	for name, want := range hostileBodies {
		for _, withLength := range []bool{true, false} {
			sent := "with Content-Length"
			if !withLength {
				sent = "without Content-Length"
			}
			t.Run(name+"/"+sent, func(t *testing.T) {
				rec := &recorder{}
				h := rec.handler()
				h.MaxBodyBytes = hostileMaxBody
				var reported []int
				var errs []error
				h.OnError = func(_ *http.Request, status int, err error) {
					reported = append(reported, status)
					errs = append(errs, err)
				}

				w := serve(h, hostileRequest(t, name, withLength))
				status := hostileStatus[want.class]
				require.Equal(t, status, w.Code, w.Body.String())
				require.Equal(t, []int{status}, reported, "OnError hears of it once, with the status answered")
				assertHostileError(t, want, errs[0])
				text := errorBody(t, w)
				assert.Equal(t, errs[0].Error(), text, "the answer gives the error")
				if pinned, ok := hostileTexts[name]; ok {
					wantText := pinned.text
					if !withLength && pinned.chunked != "" {
						wantText = pinned.chunked
					}
					assert.Equal(t, wantText, text)
				}
				assert.Zero(t, rec.count(), "a rejected body reaches no callback")

				_, body := readFixture(t, filepath.Join("testdata", "hostile", name))
				assert.NotContains(t, w.Body.String(), hostileSecret, "the answer repeats the body's text")
				assert.Empty(t, echoedRun(body, w.Body.String(), hostileEchoRun), "the answer repeats the body")
				assert.Empty(t, echoedRun(body, text, hostileEchoRun), "the answer's error repeats the body")
				assert.LessOrEqual(t, w.Body.Len(), 160, "a short answer")
			})
		}
	}
}

// TestHostileBodiesParse: Parse alone rejects every body the Handler does
// not cap, with an error of the same class and field, which decodeStatus
// answers with the same status.
func TestHostileBodiesParse(t *testing.T) {
	for name, want := range hostileBodies {
		if want.class == ErrBodyTooLarge {
			continue
		}
		t.Run(name, func(t *testing.T) {
			contentType, body := readFixture(t, filepath.Join("testdata", "hostile", name))
			ev, err := Parse(contentType, body)
			assert.Nil(t, ev)
			require.Error(t, err)
			assertHostileError(t, want, err)
			assert.Equal(t, hostileStatus[want.class], decodeStatus(err))
			if pinned, ok := hostileTexts[name]; ok {
				assert.Equal(t, pinned.text, err.Error())
			}
		})
	}
}

// TestHostileCorpusIsPinned: every file of testdata/hostile/ has its
// answer in the table, every answer its file and a class of error, and
// every pinned text its body.
func TestHostileCorpusIsPinned(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("testdata", "hostile"))
	require.NoError(t, err)
	var files []string
	for _, e := range entries {
		files = append(files, e.Name())
		assert.Contains(t, hostileBodies, e.Name(), "testdata/hostile/%s has no expected answer", e.Name())
		assert.True(t, strings.HasSuffix(e.Name(), ".txt"), e.Name())
	}
	for name, want := range hostileBodies {
		assert.True(t, slices.Contains(files, name), "no file testdata/hostile/%s", name)
		assert.Contains(t, hostileStatus, want.class, "%s: not a class of error", name)
	}
	for name := range hostileTexts {
		assert.Contains(t, hostileBodies, name, "a text pinned for %s, which has no answer", name)
	}
	assert.GreaterOrEqual(t, len(files), 50)
}
