// status_test.go pins Status: its names, lifecycle, wire form and
// descriptions in every supported language.

package smsgw24

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

func TestStatusTable(t *testing.T) {
	tests := []struct {
		s             Status
		code          int
		name          string
		final, failed bool
	}{
		{StatusPending, 1, "pending", false, false},
		{StatusTakenByPhone, 2, "taken_by_phone", false, false},
		{StatusQueued, 3, "queued", false, false},
		{StatusIncoming, 5, "incoming", false, false},
		{StatusSent, 6, "sent", false, false},
		{StatusDelivered, 7, "delivered", true, false},
		{StatusNotDelivered, 8, "not_delivered", true, true},
		{StatusGenericFailure, 9, "generic_failure", true, true},
		{StatusNoService, 10, "no_service", true, true},
		{StatusNullPDU, 11, "null_pdu", true, true},
		{StatusRadioOff, 12, "radio_off", true, true},
		{StatusNotAllowed, 100, "not_allowed", true, true},
		{StatusNotAllowedAtAll, 101, "not_allowed_at_all", true, true},
	}
	require.Len(t, Statuses(), len(tests), "Statuses lists every documented code")
	for _, tt := range tests {
		assert.Equal(t, tt.code, int(tt.s))
		assert.Equal(t, tt.name, tt.s.String())
		assert.True(t, tt.s.Known(), tt.name)
		assert.Equal(t, tt.final, tt.s.Final(), tt.name)
		assert.Equal(t, tt.failed, tt.s.Failed(), tt.name)
		assert.Contains(t, Statuses(), tt.s)
		parsed, err := ParseStatus(tt.name)
		require.NoError(t, err)
		assert.Equal(t, tt.s, parsed)
	}
}

func TestUnknownStatusIsKept(t *testing.T) {
	s := Status(4)
	assert.False(t, s.Known())
	assert.False(t, s.Final())
	assert.False(t, s.Failed())
	assert.Equal(t, "status(4)", s.String())
	assert.Equal(t, "Unknown status (code 4)", s.Message(language.English))
	assert.Equal(t, "Unbekannter Status (Code 4)", s.Message(language.German))
	assert.Equal(t, "Неизвестный статус (код 4)", s.Message(language.Russian))
	assert.Equal(t, "Status desconhecido (código 4)", s.Message(language.Portuguese))
	assert.Equal(t, "Estado desconocido (código 4)", s.Message(language.Spanish))
	parsed, err := ParseStatus("status(4)")
	require.NoError(t, err)
	assert.Equal(t, s, parsed)
}

func TestStatusSupersedes(t *testing.T) {
	lifecycle := []Status{StatusPending, StatusQueued, StatusTakenByPhone, StatusSent, StatusDelivered}
	for i, later := range lifecycle {
		for j, earlier := range lifecycle {
			assert.Equal(t, i > j, later.Supersedes(earlier), "%v over %v", later, earlier)
		}
	}
	tests := []struct {
		s, prev Status
		want    bool
	}{
		{StatusQueued, StatusTakenByPhone, false}, // 3 after 2 is out of order, despite 3 > 2
		{StatusTakenByPhone, StatusQueued, true},
		{StatusSent, StatusDelivered, false}, // a late "sent" after "delivered"
		{StatusNotDelivered, StatusDelivered, false},
		{StatusDelivered, StatusNotDelivered, false},
		{StatusNotAllowedAtAll, StatusPending, true},
		{StatusGenericFailure, StatusSent, true},
		{StatusPending, 0, true},
		{Status(4), 0, true},
		{0, StatusPending, false},
		{StatusSent, StatusSent, false},
		{Status(4), StatusPending, false},
		{StatusPending, Status(4), true},
		{Status(4), Status(13), false},
		{StatusSent, Status(4), true},
		{Status(4), StatusDelivered, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.s.Supersedes(tt.prev), "%v over %v", tt.s, tt.prev)
	}
	for _, final := range Statuses() {
		if !final.Final() {
			continue
		}
		for _, s := range append(Statuses(), Status(4), Status(999)) {
			assert.False(t, s.Supersedes(final), "%v must never replace final %v", s, final)
		}
	}
}

func TestStatusMessageLanguages(t *testing.T) {
	tests := []struct {
		tag  string
		want string
	}{
		{"en", "Delivered"},
		{"en-GB", "Delivered"},
		{"de", "Zugestellt"},
		{"de-AT", "Zugestellt"},
		{"de-CH", "Zugestellt"},
		{"ru", "Доставлено"},
		{"ru-UA", "Доставлено"},
		{"pt", "Entregue"},
		{"pt-BR", "Entregue"},
		{"pt-PT", "Entregue"},
		{"es", "Entregado"},
		{"es-419", "Entregado"},
		{"es-MX", "Entregado"},
		{"fr", "Delivered"},
		{"ja", "Delivered"},
		{"und", "Delivered"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, StatusDelivered.Message(language.MustParse(tt.tag)), tt.tag)
	}
}

// TestEveryStatusHasEveryMessage: no documented code lacks a text, and no
// two codes share one in the same language.
func TestEveryStatusHasEveryMessage(t *testing.T) {
	for _, tag := range supportedLanguages {
		seen := map[string]Status{}
		for _, s := range Statuses() {
			msg := s.Message(tag)
			assert.NotEmpty(t, msg, "%v in %v", s, tag)
			if prev, dup := seen[msg]; dup {
				t.Errorf("%v and %v share %q in %v", prev, s, msg, tag)
			}
			seen[msg] = s
		}
	}
	// German 7 is "delivered", not the vendor page's "wurde gesendet".
	assert.Equal(t, "Zugestellt", StatusDelivered.Message(language.German))
	assert.Equal(t, "Vom Telefon gesendet", StatusSent.Message(language.German))
}

func TestLanguages(t *testing.T) {
	assert.Equal(t, []language.Tag{language.English, language.German, language.Russian, language.Portuguese, language.Spanish}, Languages())
	Languages()[0] = language.French
	assert.Equal(t, language.English, Languages()[0], "the list is a copy")
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		in   string
		want Status
		ok   bool
	}{
		{"7", StatusDelivered, true},
		{" 7 ", StatusDelivered, true},
		{"delivered", StatusDelivered, true},
		{"DELIVERED", StatusDelivered, true},
		{"Taken_By_Phone", StatusTakenByPhone, true},
		{"4", Status(4), true},
		{"-3", Status(-3), true},
		{"status(42)", Status(42), true},
		{"status(42", 0, false},
		{"status()", 0, false},
		{"arrived", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseStatus(tt.in)
		if !tt.ok {
			assert.ErrorIs(t, err, ErrInvalidField, "%q", tt.in)
			continue
		}
		require.NoError(t, err, "%q", tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
	}
}

// TestParseStatusErrorHidesInput: a status comes from the network, so an
// error names what is wrong with it but never repeats it.
func TestParseStatusErrorHidesInput(t *testing.T) {
	for _, in := range []string{
		"arrived",
		"status(42",
		"<script>alert(1)</script>",
		"token=s3cret-0123456789",
		"\x00\xff\n" + strings.Repeat("x", 300),
		"",
	} {
		_, err := ParseStatus(in)
		require.ErrorIs(t, err, ErrInvalidField, "%q", in)
		msg := err.Error()
		if in != "" {
			assert.NotContains(t, msg, in, "the input is not echoed")
		}
		assert.Equal(t, 1, strings.Count(msg, "smsgw24:"), "one package prefix: %q", msg)
	}
}

// TestStatusUnmarshalJSON: a JSON string is decoded as JSON (escapes
// included) and then read as ParseStatus reads that text.
func TestStatusUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in   string
		want Status
		ok   bool
	}{
		{`7`, StatusDelivered, true},
		{` 7 `, StatusDelivered, true},
		{`101`, StatusNotAllowedAtAll, true},
		{`"7"`, StatusDelivered, true},
		{`"\u0037"`, StatusDelivered, true},
		{`"\u0031\u0030\u0031"`, StatusNotAllowedAtAll, true},
		{`"delivered"`, StatusDelivered, true},
		{`"DELIVERED"`, StatusDelivered, true},
		{`"deliver\u0065d"`, StatusDelivered, true},
		{`"taken_by_phone"`, StatusTakenByPhone, true},
		{`"not\u005fdelivered"`, StatusNotDelivered, true},
		{`"status(4)"`, Status(4), true},
		{`"\t7\n"`, StatusDelivered, true}, // ParseStatus trims the decoded space
		{`"\/7"`, 0, false},                // "/7" is no status
		{`"\/"`, 0, false},
		{`"arrived"`, 0, false},
		{`""`, 0, false},
	}
	for _, tt := range tests {
		var s Status
		err := json.Unmarshal([]byte(tt.in), &s)
		direct := Status(0)
		directErr := direct.UnmarshalJSON([]byte(tt.in))
		if !tt.ok {
			assert.ErrorIs(t, err, ErrInvalidField, "%s", tt.in)
			assert.ErrorIs(t, directErr, ErrInvalidField, "%s", tt.in)
		} else {
			require.NoError(t, err, "%s", tt.in)
			require.NoError(t, directErr, "%s", tt.in)
		}
		assert.Equal(t, tt.want, s, "%s", tt.in)
		assert.Equal(t, tt.want, direct, "%s", tt.in)

		// The same as ParseStatus of the text the JSON value stands for.
		var text string
		if json.Unmarshal([]byte(tt.in), &text) == nil {
			parsed, perr := ParseStatus(text)
			assert.Equal(t, tt.ok, perr == nil, "%s", tt.in)
			assert.Equal(t, tt.want, parsed, "%s", tt.in)
		}
	}

	// Go escapes that JSON lacks are not JSON: json.Unmarshal rejects them
	// before UnmarshalJSON runs, and UnmarshalJSON called alone does too.
	for _, in := range []string{`"\x37"`, `"\a"`, `"\'7'"`, `"\u003"`} {
		var s Status
		assert.ErrorIs(t, s.UnmarshalJSON([]byte(in)), ErrInvalidField, "%s", in)
		assert.Error(t, json.Unmarshal([]byte(in), &s), "%s", in)
		assert.Equal(t, Status(0), s, "%s", in)
	}
}

func TestStatusWireForm(t *testing.T) {
	data, err := json.Marshal(struct {
		S Status `json:"status_id"`
	}{StatusDelivered})
	require.NoError(t, err)
	assert.Equal(t, `{"status_id":7}`, string(data))

	text, err := Status(4).MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "4", string(text))

	for in, want := range map[string]Status{`7`: 7, `"7"`: 7, `"delivered"`: 7, `101`: 101, `"status(4)"`: 4} {
		var s Status
		require.NoError(t, json.Unmarshal([]byte(in), &s), in)
		assert.Equal(t, want, s, in)
	}
	s := StatusSent
	require.NoError(t, json.Unmarshal([]byte(`null`), &s))
	assert.Equal(t, StatusSent, s, "null leaves the status as it was")
	assert.ErrorIs(t, json.Unmarshal([]byte(`"arrived"`), &s), ErrInvalidField)
	assert.Error(t, json.Unmarshal([]byte(`true`), &s))

	var m map[Status]string
	require.NoError(t, json.Unmarshal([]byte(`{"7":"a","queued":"b"}`), &m))
	assert.Equal(t, map[Status]string{StatusDelivered: "a", StatusQueued: "b"}, m)
}
