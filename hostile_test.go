// hostile_test.go pins every body of testdata/hostile/ to the answer the
// Handler gives it: malformed, truncated, oversized, deeply nested, wrongly
// encoded and wrongly typed bodies, each answered with a 4xx and a message
// that says what is wrong, and none reaching a callback. The fixtures are
// bodies that must be rejected; the tolerant decoder accepts many odd ones
// (see internal/fixture/webhooks/), which do not belong here.

package smsgw24

import (
	"bytes"
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

type hostileAnswer struct {
	status int
	msg    string // a part of the error text
}

const (
	msgEndsEarly  = "malformed body: JSON ends too early"
	msgUnexpected = "malformed body: JSON has an unexpected character"
	msgWantObject = "unexpected character at byte 0, want an object"
	msgNests      = "malformed body: JSON nests deeper than 32 levels"
	msgAbsent     = "missing field: sms_id is absent"
	msgNotWhole   = "invalid field: sms_id is not a whole number in range"
	msgOutOfRange = "invalid field: sms_id is out of range"
	msgNoStatus   = "missing field: status_id is null or empty"
	msgBadStatus  = "invalid field: status_id is neither a status code nor a status name"
	msgTooLarge   = "body too large"
	msgMediaType  = "unsupported media type"
	msgPartsEnd   = "malformed body: multipart body ends too early"
)

var hostileBodies = map[string]hostileAnswer{
	// Not JSON, though it starts like it or says it is.
	"json_truncated_in_string.txt":            {400, msgEndsEarly + ", want the end of a string"},
	"json_truncated_after_colon.txt":          {400, msgEndsEarly + ", want a value"},
	"json_truncated_in_number.txt":            {400, msgEndsEarly + ", want a comma or the end of the object"},
	"json_truncated_after_comma.txt":          {400, msgEndsEarly + ", want a field name"},
	"json_open_brace_only.txt":                {400, msgEndsEarly + ", want a field name"},
	"json_missing_closing_brace.txt":          {400, msgEndsEarly + ", want a comma or the end of the object"},
	"json_trailing_comma.txt":                 {400, msgUnexpected + " at byte 32, want a field name"},
	"json_single_quotes.txt":                  {400, msgUnexpected + " at byte 1, want a field name"},
	"json_unquoted_keys.txt":                  {400, msgUnexpected + " at byte 1, want a field name"},
	"json_nan.txt":                            {400, msgUnexpected + " at byte 10, want a value"},
	"json_infinity.txt":                       {400, msgUnexpected + " at byte 10, want a value"},
	"json_plus_sign_number.txt":               {400, msgUnexpected + " at byte 10, want a value"},
	"json_leading_zero.txt":                   {400, msgUnexpected + " at byte 11, want a comma or the end of the object"},
	"json_hex_number.txt":                     {400, msgUnexpected + " at byte 11, want a comma or the end of the object"},
	"json_comment.txt":                        {400, msgUnexpected + " at byte 18, want a comma or the end of the object"},
	"json_two_objects.txt":                    {400, msgUnexpected + " at byte 32, want nothing after the object"},
	"json_array_of_events.txt":                {400, "malformed body: JSON is an array, want one object"},
	"json_bare_string.txt":                    {400, msgWantObject},
	"json_bare_number.txt":                    {400, msgWantObject},
	"json_null.txt":                           {400, msgWantObject},
	"json_control_character_in_string.txt":    {400, "at byte 32, want no control character in a string"},
	"json_nul_byte_in_string.txt":             {400, "at byte 32, want no control character in a string"},
	"json_nul_byte_between_fields.txt":        {400, msgUnexpected + " at byte 18, want a field name"},
	"json_bad_escape.txt":                     {400, "at byte 34, want a valid escape"},
	"json_short_unicode_escape.txt":           {400, `at byte 34, want four hex digits after \u`},
	"json_nested_arrays_1000_levels.txt":      {400, msgNests},
	"json_nested_objects_1000_levels.txt":     {400, msgNests},
	"json_nested_unclosed_1000_levels.txt":    {400, msgNests},
	"json_top_level_nested_1000_levels.txt":   {400, "malformed body: JSON is an array, want one object"},
	"json_utf16le_with_bom.txt":               {400, msgWantObject},
	"json_utf16be_without_bom.txt":            {400, msgWantObject},
	"json_gzip_compressed.txt":                {400, msgWantObject},
	"json_percent_encoded.txt":                {400, msgWantObject},
	"json_whitespace_only.txt":                {400, "empty body"},
	"json_encoded_twice_not_an_object.txt":    {400, msgWantObject},
	"json_encoded_twice_truncated_inside.txt": {400, msgEndsEarly + ", want the end of a string"},
	"json_encoded_three_times.txt":            {400, msgWantObject},
	"json_empty_object.txt":                   {422, msgAbsent},

	// JSON without a usable identity.
	"sms_id_absent_status.txt":                       {422, msgAbsent},
	"sms_id_absent_image.txt":                        {422, msgAbsent},
	"sms_id_only_in_nested_object.txt":               {422, msgAbsent},
	"sms_id_with_space_in_name.txt":                  {422, msgAbsent},
	"sms_id_invalid_utf8_in_name.txt":                {422, msgAbsent},
	"sms_id_empty_string.txt":                        {422, msgAbsent},
	"sms_id_blank_string.txt":                        {422, msgAbsent},
	"sms_id_duplicate_last_null.txt":                 {422, msgAbsent},
	"sms_id_true.txt":                                {422, msgNotWhole},
	"sms_id_object.txt":                              {422, msgNotWhole},
	"sms_id_array.txt":                               {422, msgNotWhole},
	"sms_id_fraction.txt":                            {422, msgNotWhole},
	"sms_id_fraction_in_string.txt":                  {422, msgNotWhole},
	"sms_id_fraction_rounds_to_one.txt":              {422, msgNotWhole},
	"sms_id_fraction_below_float_precision.txt":      {422, msgNotWhole},
	"sms_id_exponent_leaves_a_fraction.txt":          {422, msgNotWhole},
	"sms_id_max_int64_plus_one.txt":                  {422, msgNotWhole},
	"sms_id_exponent_overflow.txt":                   {422, msgNotWhole},
	"sms_id_5000_digits.txt":                         {422, msgNotWhole},
	"sms_id_hex_string.txt":                          {422, msgNotWhole},
	"sms_id_invalid_utf8_value.txt":                  {422, msgNotWhole},
	"sms_id_duplicate_last_garbage.txt":              {422, msgNotWhole},
	"sms_id_negative.txt":                            {422, msgOutOfRange},
	"sms_id_min_int64.txt":                           {422, msgOutOfRange},
	"status_id_empty_string.txt":                     {422, msgNoStatus},
	"status_id_duplicate_last_null.txt":              {422, msgNoStatus},
	"status_id_false.txt":                            {422, msgBadStatus},
	"status_id_object.txt":                           {422, msgBadStatus},
	"status_id_fraction.txt":                         {422, msgBadStatus},
	"status_id_fraction_rounds_to_seven.txt":         {422, msgBadStatus},
	"status_id_null_in_status_body.txt":              {422, msgNoStatus},
	"status_id_huge_number.txt":                      {422, msgBadStatus},
	"status_id_unknown_name.txt":                     {422, msgBadStatus},
	"form_without_sms_id.txt":                        {422, msgAbsent},
	"form_sms_id_empty.txt":                          {422, msgAbsent},
	"form_sms_id_duplicate_last_empty.txt":           {422, msgAbsent},
	"form_only_separators.txt":                       {422, msgAbsent},
	"form_json_in_a_value.txt":                       {422, msgAbsent},
	"form_sms_id_not_a_number.txt":                   {422, msgNotWhole},
	"form_sms_id_fraction_below_float_precision.txt": {422, msgNotWhole},
	"form_sms_id_percent_nul.txt":                    {422, msgNotWhole},
	"form_sms_id_raw_nul.txt":                        {422, msgNotWhole},
	"form_status_id_broken_escape.txt":               {422, msgBadStatus},
	"form_too_many_fields.txt":                       {400, "malformed body: more than 256 fields"},

	// Multipart that cannot be read, or holds no identity.
	"multipart_truncated.txt":                       {400, msgPartsEnd},
	"multipart_under_json_header_truncated.txt":     {400, msgPartsEnd},
	"multipart_malformed_part_header.txt":           {400, "malformed body: multipart part 2 at byte 66 cannot be read"},
	"multipart_too_many_parts.txt":                  {400, "malformed body: more than 256 multipart parts"},
	"multipart_without_boundary_after_preamble.txt": {400, "malformed body: multipart body without a boundary"},
	"multipart_sms_id_as_binary_file.txt":           {422, msgAbsent},
	"multipart_parts_without_names.txt":             {422, msgAbsent},

	// Neither JSON nor a form.
	"xml_body.txt":                        {415, msgMediaType + ": application/xml, and the body is neither JSON nor a form"},
	"text_plain_body.txt":                 {415, msgMediaType + ": text/plain"},
	"json_string_then_garbage.txt":        {415, msgMediaType + ": text/plain"},
	"text_plain_sentence_with_equals.txt": {415, msgMediaType + ": text/plain"},
	"octet_stream_body.txt":               {415, msgMediaType + ": application/octet-stream"},
	"octet_stream_binary_with_equals.txt": {415, msgMediaType + ": application/octet-stream"},
	"yaml_body.txt":                       {415, msgMediaType + ": application/yaml"},
	"csv_body.txt":                        {415, msgMediaType + ": text/csv"},

	// Over the cap, whatever they hold.
	"oversized_json.txt":   {413, msgTooLarge + ": 18052 bytes, the limit is 16384"},
	"oversized_form.txt":   {413, msgTooLarge + ": 20031 bytes, the limit is 16384"},
	"oversized_binary.txt": {413, msgTooLarge + ": 20000 bytes, the limit is 16384"},

	// Nothing at all.
	"empty_body_under_form_header.txt": {400, "empty body"},
	"empty_body_without_header.txt":    {400, "empty body"},
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
				h.OnError = func(_ *http.Request, status int, _ error) { reported = append(reported, status) }

				w := serve(h, hostileRequest(t, name, withLength))
				require.Equal(t, want.status, w.Code, w.Body.String())
				text := errorBody(t, w)
				msg := want.msg
				if want.status == http.StatusRequestEntityTooLarge && !withLength {
					msg = msgTooLarge + ": more than 16384 bytes"
				}
				assert.Contains(t, text, msg)
				assert.Zero(t, rec.count(), "a rejected body reaches no callback")
				assert.Equal(t, []int{want.status}, reported, "OnError hears of it")
				assert.NotContains(t, w.Body.String(), hostileSecret, "the answer repeats the body's text")
				assert.LessOrEqual(t, w.Body.Len(), 160, "a short answer")
			})
		}
	}
}

// TestHostileBodiesParse: Parse alone rejects every body the Handler does
// not cap, with the same error.
func TestHostileBodiesParse(t *testing.T) {
	for name, want := range hostileBodies {
		if want.status == http.StatusRequestEntityTooLarge {
			continue
		}
		contentType, body := readFixture(t, filepath.Join("testdata", "hostile", name))
		ev, err := Parse(contentType, body)
		assert.Nil(t, ev, name)
		if assert.Error(t, err, name) {
			assert.Contains(t, err.Error(), want.msg, name)
			assert.Equal(t, want.status, decodeStatus(err), name)
		}
	}
}

// TestHostileCorpusIsPinned: every file of testdata/hostile/ has its
// answer in the table, and every answer its file.
func TestHostileCorpusIsPinned(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("testdata", "hostile"))
	require.NoError(t, err)
	var files []string
	for _, e := range entries {
		files = append(files, e.Name())
		assert.Contains(t, hostileBodies, e.Name(), "testdata/hostile/%s has no expected answer", e.Name())
		assert.True(t, strings.HasSuffix(e.Name(), ".txt"), e.Name())
	}
	for name := range hostileBodies {
		assert.True(t, slices.Contains(files, name), "no file testdata/hostile/%s", name)
	}
	assert.GreaterOrEqual(t, len(files), 50)
}
