// parse_test.go pins Parse to the fixtures of internal/fixture: every
// variant in both generations of the gateway's documents, as JSON and as
// form bodies, and one fixture per shape the real wire takes.

package smsgw24

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-smsgw24/smsgw24/internal/fixture"
)

// webhookFixture returns the Content-Type and body of the fixture called
// name (such as "status_v1_json.txt") from internal/fixture.
func webhookFixture(t testing.TB, name string) (contentType string, body []byte) {
	t.Helper()
	f, ok := fixture.Lookup(name)
	require.True(t, ok, "no fixture %s in internal/fixture/webhooks/", name)
	return f.ContentType, f.Body
}

// readFixture reads a file in the fixtures' format (a few header lines, a
// blank line and the body), such as those of testdata/invalid/ and
// testdata/hostile/, with the fixtures' own reader.
func readFixture(t testing.TB, path string) (contentType string, body []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	f, err := fixture.Parse(path, data)
	require.NoError(t, err)
	return f.ContentType, f.Body
}

func utc(year int, month time.Month, day, hour, minute, sec, nsec int) time.Time {
	return time.Date(year, month, day, hour, minute, sec, nsec, time.UTC)
}

const s3 = "https://smsgateway24.s3.eu-central-1.amazonaws.com/img/"

var fixtureEvents = map[string]Event{
	"status_v1_json.txt": &StatusUpdate{SMSID: 3281467, Status: StatusDelivered, StatusMessage: "SMS has been Delivered",
		SendTo: "+4915112345678", SentTime: utc(2024, 3, 18, 9, 41, 27, 0), Channel: ChannelSIM2, DeviceID: 12345},
	"status_v1_form.txt": &StatusUpdate{SMSID: 3281467, Status: StatusDelivered, StatusMessage: "SMS has been Delivered",
		SendTo: "+4915112345678", SentTime: utc(2024, 3, 18, 9, 41, 27, 0), Channel: ChannelSIM2, DeviceID: 12345},
	"status_v2_json.txt": &StatusUpdate{SMSID: 3281468, Status: StatusSent, StatusMessage: "SMS Sent by Phone",
		SendTo: "+5511987654321", SentTime: utc(2025, 6, 2, 14, 5, 9, 0), Channel: ChannelWhatsApp, DeviceID: 12345},
	"status_v2_form.txt": &StatusUpdate{SMSID: 3281468, Status: StatusSent, StatusMessage: "SMS Sent by Phone",
		SendTo: "+5511987654321", SentTime: utc(2025, 6, 2, 14, 5, 9, 0), Channel: ChannelWhatsApp, DeviceID: 12345},
	"status_v2_form_plus_lost.txt": &StatusUpdate{SMSID: 3281469, Status: StatusNotDelivered, StatusMessage: "SMS was NOT Delivered",
		SendTo: "+79001234567", SentTime: utc(2025, 6, 2, 14, 6, 0, 0), Channel: ChannelSIM1, DeviceID: 12345},
	"status_unknown_code_4.txt": &StatusUpdate{SMSID: 3281470, Status: Status(4),
		SendTo: "+4915112345678", SentTime: utc(2025, 6, 2, 14, 7, 0, 0), Channel: ChannelSIM2, DeviceID: 12345},
	"status_name_instead_of_code.txt": &StatusUpdate{SMSID: 3281471, Status: StatusDelivered,
		SendTo: "+4915112345678", Channel: ChannelSIM2, DeviceID: 12345},
	"status_json_under_form_header.txt": &StatusUpdate{SMSID: 3281472, Status: StatusTakenByPhone, StatusMessage: "SMS taken by phone",
		SendTo: "+4915112345678", Channel: ChannelSIM1, DeviceID: 12345},
	"status_json_byte_order_mark.txt": &StatusUpdate{SMSID: 3281524, Status: StatusDelivered},
	"status_json_no_content_type.txt": &StatusUpdate{SMSID: 3281473, Status: StatusQueued, StatusMessage: "Queued for sending",
		SendTo: "+4915112345678", SentTime: utc(2025, 6, 2, 12, 8, 0, 0), Channel: ChannelSIM1, DeviceID: 12345},

	"text_v1_json.txt": &TextMessage{SMSID: 9911201, Address: "4915112345678", Body: "Hallo! Ist mein Paket schon unterwegs?",
		Date: utc(2024, 3, 18, 9, 45, 2, 0), DateSent: utc(2024, 3, 18, 9, 45, 0, 0), InternalID: 5821,
		Channel: ChannelSIM1, DeviceID: 12345, DeviceName: "Pixel 6a"},
	"text_v1_form.txt": &TextMessage{SMSID: 9911201, Address: "4915112345678", Body: "Hallo! Ist mein Paket schon unterwegs?",
		Date: utc(2024, 3, 18, 9, 45, 2, 0), DateSent: utc(2024, 3, 18, 9, 45, 0, 0), InternalID: 5821,
		Channel: ChannelSIM1, DeviceID: 12345, DeviceName: "Pixel 6a"},
	"text_v1_devicename_key.txt": &TextMessage{SMSID: 9911202, Address: "+4915112345678", Body: "ok",
		Date: utc(2024, 3, 18, 9, 46, 0, 0), DateSent: utc(2024, 3, 18, 9, 45, 58, 0), InternalID: 5822,
		Channel: ChannelSIM2, DeviceID: 12345, DeviceName: "Galaxy A14"},
	"text_v2_json.txt": &TextMessage{SMSID: 9911203, Address: "+5511987654321", Body: "Olá! Quero confirmar meu pedido.",
		Date: utc(2025, 6, 2, 14, 10, 11, 0), DateSent: utc(2025, 6, 2, 14, 10, 9, 0), InternalID: 7310,
		Channel: ChannelWhatsApp, DeviceID: 12345, DeviceName: "Pixel 6a"},
	"text_v2_form.txt": &TextMessage{SMSID: 9911203, Address: "+5511987654321", Body: "Olá! Quero confirmar meu pedido.",
		Date: utc(2025, 6, 2, 14, 10, 11, 0), DateSent: utc(2025, 6, 2, 14, 10, 9, 0), InternalID: 7310,
		Channel: ChannelWhatsApp, DeviceID: 12345, DeviceName: "Pixel 6a"},
	"text_v2_form_plus_lost.txt": &TextMessage{SMSID: 9911204, Address: "+79001234567", Body: "Привет",
		Date: utc(2025, 6, 2, 14, 11, 0, 0), DateSent: utc(2025, 6, 2, 14, 10, 58, 0), InternalID: 7311,
		Channel: ChannelSIM2, DeviceID: 12345, DeviceName: "Redmi Note"},
	"text_v2_json_plus_as_space.txt": &TextMessage{SMSID: 9911205, Address: "+15555215554", Body: "Test from the emulator",
		Date: utc(2025, 6, 2, 14, 12, 0, 0), DateSent: utc(2025, 6, 2, 14, 11, 59, 0), InternalID: 7312,
		Channel: ChannelSIM1, DeviceID: 12345, DeviceName: "Android SDK built for x86"},
	"text_v2_json_numbers_as_strings.txt": &TextMessage{SMSID: 9911206, Address: "+4915112345678", Body: "123",
		Date: utc(2025, 6, 2, 14, 13, 0, 0), DateSent: utc(2025, 6, 2, 14, 12, 59, 0), InternalID: 7313,
		Channel: ChannelWhatsAppBusiness, DeviceID: 12345, DeviceName: "Pixel 6a"},
	"text_v2_json_nulls_everywhere.txt": &TextMessage{SMSID: 9911207},
	"text_v2_json_alphanumeric_sender.txt": &TextMessage{SMSID: 9911208, Address: "MTN", Body: "Your data bundle of 2GB has been activated.",
		Date: utc(2025, 6, 2, 14, 14, 0, 0), DateSent: utc(2025, 6, 2, 14, 14, 0, 0), InternalID: 7314,
		Channel: ChannelSIM2, DeviceID: 12345, DeviceName: "Tecno Spark"},
	"text_v2_json_cyrillic.txt": &TextMessage{SMSID: 9911290, Address: "+79001234567",
		Body: "Здравствуйте! Ваш заказ № 48213 доставлен в пункт выдачи. Спасибо, что выбрали нас!",
		Date: utc(2025, 6, 2, 14, 16, 20, 0), DateSent: utc(2025, 6, 2, 14, 16, 18, 0), InternalID: 7390,
		Channel: ChannelSIM2, DeviceID: 12345, DeviceName: "Redmi Note"},
	"text_v2_json_unicode_escapes.txt": &TextMessage{SMSID: 9911209, Address: "+79001234567", Body: "Привет 👋 \"как дела?\"\n",
		Date: utc(2025, 6, 2, 14, 15, 0, 0), DateSent: utc(2025, 6, 2, 14, 15, 0, 0), InternalID: 7315,
		Channel: ChannelWhatsApp, DeviceID: 12345, DeviceName: "Pixel 6a"},
	"text_v2_json_extra_fields.txt": &TextMessage{SMSID: 9911210, Address: "+4915112345678", Body: "hi",
		Date: utc(2025, 6, 2, 14, 16, 0, 0), DateSent: utc(2025, 6, 2, 14, 16, 0, 0), InternalID: 7316,
		Channel: ChannelSIM1, DeviceID: 12345, DeviceName: "Pixel 6a",
		Extra: Extra{"subscription_id": json.RawMessage(`2`), "thread": json.RawMessage(`{"id":44,"unread":true}`)}},
	"text_v2_json_channel_id_wins_over_sim.txt": &TextMessage{SMSID: 9911211, Address: "+4915112345678", Body: "both",
		Date: utc(2025, 6, 2, 14, 17, 0, 0), DateSent: utc(2025, 6, 2, 14, 17, 0, 0), InternalID: 7317,
		Channel: ChannelWhatsAppBusiness, DeviceID: 12345, DeviceName: "Pixel 6a"},
	"text_date_with_fraction.txt": &TextMessage{SMSID: 9911212, Address: "+4915112345678", Body: "x",
		Date: utc(2025, 6, 2, 14, 18, 1, 250_000_000), DateSent: utc(2025, 6, 2, 14, 18, 0, 500_000_000)},
	"text_date_minutes_only.txt": &TextMessage{SMSID: 9911213, Address: "+4915112345678", Body: "x",
		Date: utc(2021, 8, 1, 12, 0, 0, 0), DateSent: utc(2021, 8, 1, 11, 59, 0, 0)},
	"text_date_rfc3339.txt": &TextMessage{SMSID: 9911214, Address: "+4915112345678", Body: "x",
		Date: utc(2025, 6, 2, 14, 19, 0, 0), DateSent: utc(2025, 6, 2, 14, 18, 59, 0)},
	"text_date_unix_seconds.txt": &TextMessage{SMSID: 9911215, Address: "+4915112345678", Body: "x",
		Date: utc(2025, 6, 2, 14, 19, 0, 0), DateSent: utc(2025, 6, 2, 14, 18, 59, 0)},
	"text_date_unix_millis.txt": &TextMessage{SMSID: 9911216, Address: "+4915112345678", Body: "x",
		Date: utc(2025, 6, 2, 14, 19, 0, 123_000_000), DateSent: utc(2025, 6, 2, 14, 18, 59, 0)},
	"text_date_php_offset.txt": &TextMessage{SMSID: 9911217, Address: "+4915112345678", Body: "x",
		Date: utc(2020, 8, 11, 14, 9, 53, 0), DateSent: utc(2020, 8, 11, 19, 9, 50, 0)},
	"text_date_php_zone_name.txt": &TextMessage{SMSID: 9911218, Address: "+4915112345678", Body: "x",
		Date: utc(2020, 8, 11, 16, 9, 53, 0), DateSent: utc(2020, 8, 11, 14, 9, 50, 0)},
	"text_date_dotted.txt": &TextMessage{SMSID: 9911219, Address: "+4915112345678", Body: "x",
		Date: utc(2020, 3, 28, 20, 10, 29, 0), DateSent: utc(2020, 3, 28, 20, 10, 0, 0)},
	"text_date_unreadable.txt": &TextMessage{SMSID: 9911220, Address: "+4915112345678", Body: "x",
		Extra: Extra{"date": json.RawMessage(`"vor 5 Minuten"`), "date_sent": json.RawMessage(`"2025-13-45 99:99:99"`)}},
	"text_form_under_json_header.txt": &TextMessage{SMSID: 9911221, Address: "+4915112345678", Body: "form under a JSON header",
		Channel: ChannelSIM2},
	"text_multipart.txt": &TextMessage{SMSID: 9911222, Address: "+4915112345678", Body: "sent as multipart",
		Date: utc(2025, 6, 2, 14, 20, 0, 0), Channel: ChannelSIM2},

	// A zone offset whose '+' a hand-built form left unescaped.
	"text_date_offset_plus_lost.txt": &TextMessage{SMSID: 9911230, Address: "+4915112345678", Body: "Offset lost",
		Date: utc(2025, 6, 2, 12, 10, 11, 0), DateSent: utc(2025, 6, 2, 12, 10, 9, 123_456_000)},
	"status_date_offset_plus_lost.txt": &StatusUpdate{SMSID: 3281561, Status: StatusDelivered, StatusMessage: "SMS has been Delivered",
		SendTo: "+4915112345678", SentTime: utc(2020, 8, 11, 14, 9, 53, 0), Channel: ChannelSIM2, DeviceID: 12345},
	// A zone name in a spelling of its own is not looked up: the date is kept.
	"text_date_php_zone_name_misspelled.txt": &TextMessage{SMSID: 9911239, Address: "+4915112345678", Body: "x",
		Extra: Extra{
			"date":      json.RawMessage(`{"date":"2020-08-11 16:09:53.000000","timezone_type":3,"timezone":"Europe//Berlin"}`),
			"date_sent": json.RawMessage(`{"date":"2020-08-11 16:09:50.000000","timezone_type":3,"timezone":"./Europe/Berlin"}`),
		}},
	// Multipart told from the body, whatever the header says.
	"status_multipart_under_json_header.txt": &StatusUpdate{SMSID: 3281562, Status: StatusDelivered,
		StatusMessage: "SMS has been Delivered", SendTo: "+4915112345678"},
	"status_multipart_under_form_header.txt": &StatusUpdate{SMSID: 3281563, Status: StatusSent,
		StatusMessage: "SMS Sent by Phone", SendTo: "+4915112345678"},
	"status_multipart_without_boundary.txt":             &StatusUpdate{SMSID: 3281551, Status: StatusDelivered},
	"status_multipart_boundary_differs_from_header.txt": &StatusUpdate{SMSID: 3281552, Status: StatusDelivered},
	"text_multipart_attachment_parts.txt":               &TextMessage{SMSID: 9911231, Address: "+4915112345678", Body: "parts as attachments"},
	"text_multipart_parts_as_files.txt": &TextMessage{SMSID: 9911232, Address: "+5511987654321", Body: "Olá, arquivo",
		Date: utc(2025, 6, 2, 14, 30, 0, 0), Channel: ChannelWhatsApp},
	// JSON encoded twice: one JSON string holding the object.
	"status_json_encoded_twice.txt": &StatusUpdate{SMSID: 3281564, Status: StatusDelivered, StatusMessage: "SMS has been Delivered",
		SendTo: "+4915112345678", SentTime: utc(2025, 6, 2, 14, 31, 0, 0), Channel: ChannelSIM2, DeviceID: 12345},
	"image_json_encoded_twice.txt": &ImageMessage{SMSID: 9911233, Address: "+5511987654321", Body: "2+2=4",
		Date: utc(2025, 6, 2, 14, 32, 0, 0), ImageURL: s3 + "9911233.jpg?v=2", Channel: ChannelWhatsApp},
	// Forms under a header that says neither form nor JSON.
	"text_form_under_text_plain_header.txt": &TextMessage{SMSID: 9911234, Address: "+4915112345678",
		Body: "sent by fetch with params.toString()", Date: utc(2025, 6, 2, 14, 33, 0, 0)},
	"status_form_under_octet_stream_header.txt": &StatusUpdate{SMSID: 3281565, Status: StatusNotDelivered,
		StatusMessage: "SMS was NOT Delivered", SendTo: "+79001234567"},
	// status_id null, empty or 5 in an incoming message.
	"text_status_id_null.txt": &TextMessage{SMSID: 9911235, Address: "+4915112345678", Body: "status_id is null",
		Date: utc(2025, 6, 2, 14, 34, 0, 0), Extra: Extra{"status_id": json.RawMessage(`null`)}},
	"text_status_id_empty_form.txt": &TextMessage{SMSID: 9911236, Address: "+4915112345678", Body: "status_id is empty",
		Extra: Extra{"status_id": json.RawMessage(`""`)}},
	"text_status_id_incoming.txt": &TextMessage{SMSID: 9911237, Address: "+4915112345678", Body: "status 5 is incoming",
		Extra: Extra{"status_id": json.RawMessage(`5`)}},
	"status_incoming_without_message_fields.txt": &StatusUpdate{SMSID: 3281566, Status: StatusIncoming,
		StatusMessage: "Incoming", SendTo: "+4915112345678"},
	// Whole numbers in float form.
	"text_v2_json_ids_in_float_form.txt": &TextMessage{SMSID: 9911238, Address: "+4915112345678", Body: "ids as floats",
		InternalID: 42, Channel: ChannelSIM2, DeviceID: 12345},

	"image_v2_json.txt": &ImageMessage{SMSID: 9911223, Address: "+5511987654321",
		Date: utc(2025, 6, 2, 14, 21, 0, 0), DateSent: utc(2025, 6, 2, 14, 20, 58, 0),
		ImageURL: s3 + "9911223.jpg", Channel: ChannelWhatsApp},
	"image_v2_form.txt": &ImageMessage{SMSID: 9911223, Address: "+5511987654321",
		Date: utc(2025, 6, 2, 14, 21, 0, 0), DateSent: utc(2025, 6, 2, 14, 20, 58, 0),
		ImageURL: s3 + "9911223.jpg", Channel: ChannelWhatsApp},
	"image_v2_form_plus_lost.txt": &ImageMessage{SMSID: 9911224, Address: "+5511987654321",
		Date: utc(2025, 6, 2, 14, 22, 0, 0), DateSent: utc(2025, 6, 2, 14, 21, 58, 0),
		ImageURL: s3 + "9911224.jpg", Channel: ChannelWhatsAppBusiness},
	"image_v2_json_with_device.txt": &ImageMessage{SMSID: 9911225, Address: "+5511987654321", Body: "foto do recibo",
		Date: utc(2025, 6, 2, 14, 23, 0, 0), DateSent: utc(2025, 6, 2, 14, 22, 58, 0),
		ImageURL: s3 + "9911225.jpg", InternalID: 7320, Channel: ChannelWhatsAppBusiness, DeviceID: 12345, DeviceName: "Pixel 6a"},
}

func TestParseFixtures(t *testing.T) {
	for name, want := range fixtureEvents {
		t.Run(name, func(t *testing.T) {
			contentType, body := webhookFixture(t, name)
			got, err := Parse(contentType, body)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

// TestEveryFixtureIsPinned keeps fixtureEvents with the fixtures of
// internal/fixture, and invalidBodies with testdata/invalid/.
func TestEveryFixtureIsPinned(t *testing.T) {
	fixtures := fixture.All()
	require.Len(t, fixtures, len(fixtureEvents))
	for _, f := range fixtures {
		assert.Contains(t, fixtureEvents, f.Name+".txt")
	}
	invalid, err := filepath.Glob("testdata/invalid/*.txt")
	require.NoError(t, err)
	require.Len(t, invalid, len(invalidBodies))
	for _, f := range invalid {
		assert.Contains(t, invalidBodies, filepath.Base(f))
	}
}

type invalidBody struct {
	err   error  // the sentinel it wraps
	field string // the field a *FieldError names, if any
}

var invalidBodies = map[string]invalidBody{
	"missing_sms_id.txt":        {ErrMissingField, "sms_id"},
	"sms_id_null.txt":           {ErrMissingField, "sms_id"},
	"sms_id_not_a_number.txt":   {ErrInvalidField, "sms_id"},
	"sms_id_overflow.txt":       {ErrInvalidField, "sms_id"},
	"sms_id_zero.txt":           {ErrMissingField, "sms_id"},
	"status_id_null.txt":        {ErrMissingField, "status_id"},
	"status_id_garbage.txt":     {ErrInvalidField, "status_id"},
	"status_id_zero.txt":        {ErrMissingField, "status_id"},
	"json_truncated.txt":        {err: ErrMalformedBody},
	"json_trailing_garbage.txt": {err: ErrMalformedBody},
	"json_array.txt":            {err: ErrMalformedBody},
	"json_too_deep.txt":         {err: ErrMalformedBody},
	"empty_body.txt":            {err: ErrEmptyBody},
	"xml_body.txt":              {err: ErrUnsupportedMediaType},
}

func TestParseInvalid(t *testing.T) {
	for name, want := range invalidBodies {
		t.Run(name, func(t *testing.T) {
			contentType, body := readFixture(t, filepath.Join("testdata", "invalid", name))
			ev, err := Parse(contentType, body)
			assert.Nil(t, ev)
			require.ErrorIs(t, err, want.err)
			var fe *FieldError
			if want.field == "" {
				assert.False(t, errors.As(err, &fe), "error %q should not name a field", err)
				return
			}
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, want.field, fe.Field)
			assert.Contains(t, err.Error(), want.field)
		})
	}
}

// TestErrorsDoNotEchoTheBody: an error names a field or an offset, never
// the text that came with it.
func TestErrorsDoNotEchoTheBody(t *testing.T) {
	for _, body := range []string{
		`{"sms_id":"secret-code-4711","body":"x"}`,
		`{"sms_id":1,"status_id":"secret-code-4711"}`,
		`{"sms_id":1,"body":"secret-code-4711`,
		`{"secret-code-4711"}`,
		`"{\"sms_id\":\"secret-code-4711\"}"`,
		`"{\"sms_id\":1,\"body\":\"secret-code-4711`,
		`"[\"secret-code-4711\"]"`,
	} {
		_, err := Parse("application/json", []byte(body))
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "secret-code-4711")
	}
	// The multipart reader's own errors quote lines of the body.
	for _, body := range []string{
		"--b\r\nsecret-code-4711\r\n\r\n1\r\n--b--\r\n",
		"--b\r\nContent-Disposition: form-data; name=\"sms_id\"\r\n\r\n1\r\n--b\r\nsecret-code-4711\r\n--b--\r\n",
		"--b\r\nContent-Disposition: form-data; name=\"sms_id\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZsecret-code-4711\r\n--b--\r\n",
		"--b\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nsecret-code-4711",
		"--b\r\nContent-Disposition: form-data; name=\"sms_id\"\r\n" + strings.Repeat("X-Secret-Code-4711: y\r\n", 11000) + "\r\n1\r\n--b--\r\n",
	} {
		for _, contentType := range []string{"multipart/form-data; boundary=b", "application/json", ""} {
			_, err := Parse(contentType, []byte(body))
			require.Error(t, err, "%q", body)
			assert.NotContains(t, strings.ToLower(err.Error()), "secret-code-4711")
		}
	}
}

func TestDecoderLocation(t *testing.T) {
	moscow := time.FixedZone("MSK", 3*3600)
	d := Decoder{Location: moscow}
	ev, err := d.Parse("application/json", []byte(`{"sms_id":1,"date":"2025-06-02 14:00:00","date_sent":"2025-06-02T14:00:00Z"}`))
	require.NoError(t, err)
	msg := ev.(*TextMessage)
	assert.Equal(t, utc(2025, 6, 2, 11, 0, 0, 0), msg.Date, "a date without a zone is read in the Decoder's Location")
	assert.Equal(t, utc(2025, 6, 2, 14, 0, 0, 0), msg.DateSent, "a date with a zone keeps it")
}

// TestMarshalRoundTrip: every event marshals to JSON that Parse reads back
// to an equal event, so events can be queued or stored.
func TestMarshalRoundTrip(t *testing.T) {
	for name, want := range fixtureEvents {
		t.Run(name, func(t *testing.T) {
			data, err := json.Marshal(want)
			require.NoError(t, err)
			got, err := Parse("application/json", data)
			require.NoError(t, err, "%s", data)
			assert.Equal(t, want, got)
		})
	}
}

func TestMarshalJSONNames(t *testing.T) {
	data, err := json.Marshal(fixtureEvents["status_v1_json.txt"])
	require.NoError(t, err)
	assert.JSONEq(t, `{"sms_id":3281467,"status_id":7,"status_message":"SMS has been Delivered",
		"sendto":"+4915112345678","senttime":"2024-03-18T09:41:27Z","channel_id":1,"device_id":12345}`, string(data))

	data, err = json.Marshal(fixtureEvents["image_v2_json.txt"])
	require.NoError(t, err)
	assert.JSONEq(t, `{"sms_id":9911223,"type":"img","address":"+5511987654321","body":"",
		"date":"2025-06-02T14:21:00Z","date_sent":"2025-06-02T14:20:58Z","img_url":"`+s3+`9911223.jpg",
		"internal_id":0,"channel_id":3,"device_id":0,"device_name":""}`, string(data))

	data, err = json.Marshal(fixtureEvents["text_date_unreadable.txt"])
	require.NoError(t, err)
	assert.JSONEq(t, `{"sms_id":9911220,"type":"text","address":"+4915112345678","body":"x",
		"date":"vor 5 Minuten","date_sent":"2025-13-45 99:99:99","internal_id":0,"channel_id":0,
		"device_id":0,"device_name":""}`, string(data))
}

// TestMarshalUnknownType: a type no document shows is written once, in
// place of the kind's own, and read back into Extra.
func TestMarshalUnknownType(t *testing.T) {
	for _, body := range []string{
		`{"sms_id":1,"type":"video"}`,
		`{"sms_id":2,"type":"video","img_url":"https://x/1.jpg"}`,
	} {
		ev, err := Parse("application/json", []byte(body))
		require.NoError(t, err)
		data, err := json.Marshal(ev)
		require.NoError(t, err)
		assert.Equal(t, 1, strings.Count(string(data), `"type"`), "%s", data)
		assert.Contains(t, string(data), `"type":"video"`)
		back, err := Parse("application/json", data)
		require.NoError(t, err)
		assert.Equal(t, ev, back)
	}
}

func TestValidateEventsUsersBuild(t *testing.T) {
	tests := []struct {
		ev    Event
		err   error
		field string
	}{
		{&StatusUpdate{SMSID: 1, Status: StatusSent}, nil, ""},
		{&StatusUpdate{SMSID: 1}, ErrMissingField, "status_id"},
		{&StatusUpdate{Status: StatusSent}, ErrMissingField, "sms_id"},
		{&TextMessage{SMSID: -5}, ErrInvalidField, "sms_id"},
		{&TextMessage{SMSID: 5}, nil, ""},
		{&ImageMessage{}, ErrMissingField, "sms_id"},
		{&ImageMessage{SMSID: 5, ImageURL: "https://example.com/a.jpg"}, nil, ""},
	}
	for _, tt := range tests {
		err := tt.ev.Validate()
		if tt.err == nil {
			assert.NoError(t, err)
			continue
		}
		require.ErrorIs(t, err, tt.err)
		var fe *FieldError
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, tt.field, fe.Field)
	}
}

func TestEventKindAndID(t *testing.T) {
	assert.Equal(t, KindStatus, (&StatusUpdate{SMSID: 3}).Kind())
	assert.Equal(t, KindText, (&TextMessage{SMSID: 4}).Kind())
	assert.Equal(t, KindImage, (&ImageMessage{SMSID: 5}).Kind())
	assert.Equal(t, int64(3), (&StatusUpdate{SMSID: 3}).ID())
	assert.Equal(t, int64(4), (&TextMessage{SMSID: 4}).ID())
	assert.Equal(t, int64(5), (&ImageMessage{SMSID: 5}).ID())
}

func TestChannelString(t *testing.T) {
	assert.Equal(t, "sim1", ChannelSIM1.String())
	assert.Equal(t, "sim2", ChannelSIM2.String())
	assert.Equal(t, "whatsapp_business", ChannelWhatsAppBusiness.String())
	assert.Equal(t, "whatsapp", ChannelWhatsApp.String())
	assert.Equal(t, "channel(7)", Channel(7).String())
	assert.Equal(t, "channel(-1)", Channel(-1).String())
}
