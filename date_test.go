// date_test.go pins the date reader to every date format seen on the wire,
// and the bounds on the zone names it looks up.

package smsgw24

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadDate(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	tests := []struct {
		in   string
		kind valueKind
		want time.Time // zero: not readable
	}{
		{"2020-08-11 16:09:53", kindString, utc(2020, 8, 11, 16, 9, 53, 0)},
		{"2020-08-11 16:09:53.000000", kindString, utc(2020, 8, 11, 16, 9, 53, 0)},
		{"2020-08-11 16:09:53.123456789123", kindString, utc(2020, 8, 11, 16, 9, 53, 123456789)},
		{"2020-08-11 16:09", kindString, utc(2020, 8, 11, 16, 9, 0, 0)},
		{"2020-08-11", kindString, utc(2020, 8, 11, 0, 0, 0, 0)},
		{"2020-08-11T16:09:53Z", kindString, utc(2020, 8, 11, 16, 9, 53, 0)},
		{"2020-08-11T16:09:53.5+02:00", kindString, utc(2020, 8, 11, 14, 9, 53, 500_000_000)},
		{"2020-08-11T16:09:53-0530", kindString, utc(2020, 8, 11, 21, 39, 53, 0)},
		{"2020-08-11 16:09:53 UTC", kindString, utc(2020, 8, 11, 16, 9, 53, 0)},
		{"28.03.2020 20:10:29", kindString, utc(2020, 3, 28, 20, 10, 29, 0)},
		{"29.02.2024 00:00", kindString, utc(2024, 2, 29, 0, 0, 0, 0)},
		{"1597162193", kindString, utc(2020, 8, 11, 16, 9, 53, 0)},
		{"1597162193", kindNumber, utc(2020, 8, 11, 16, 9, 53, 0)},
		{"1597162193000", kindNumber, utc(2020, 8, 11, 16, 9, 53, 0)},
		{`{"date":"2020-08-11 16:09:53.000000","timezone_type":1,"timezone":"+02:00"}`, kindObject, utc(2020, 8, 11, 14, 9, 53, 0)},
		{`{"date":"2020-08-11 16:09:53.000000","timezone_type":3,"timezone":"UTC"}`, kindObject, utc(2020, 8, 11, 16, 9, 53, 0)},
		{`{"date":"2020-01-11 16:09:53.000000","timezone_type":3,"timezone":"Europe/Berlin"}`, kindObject, time.Date(2020, 1, 11, 16, 9, 53, 0, berlin).UTC()},
		{`{"date":"2020-08-11 16:09:53","timezone_type":3,"timezone":"Mars/Olympus"}`, kindObject, time.Time{}},
		{`{"timezone":"UTC"}`, kindObject, time.Time{}},
		{`{"date":"2020-08-11 16:09:53"}`, kindString, utc(2020, 8, 11, 16, 9, 53, 0)},
		// A '+' of the offset that a form turned into a space.
		{"2025-06-02T14:10:11 02:00", kindString, utc(2025, 6, 2, 12, 10, 11, 0)},
		{"2020-08-11 16:09:53 02:00", kindString, utc(2020, 8, 11, 14, 9, 53, 0)},
		{"2025-06-02 14:10:11.123456 02:00", kindString, utc(2025, 6, 2, 12, 10, 11, 123_456_000)},
		{"2025-06-02 14:10:11  0530", kindString, utc(2025, 6, 2, 8, 40, 11, 0)},
		{"2021-08-01 12:00 02:00", kindString, utc(2021, 8, 1, 10, 0, 0, 0)},
		{"2025-06-02 14:10:11 -02:00", kindString, utc(2025, 6, 2, 16, 10, 11, 0)},
		{`{"date":"2020-08-11 16:09:53.000000","timezone_type":1,"timezone":" 02:00"}`, kindObject, utc(2020, 8, 11, 14, 9, 53, 0)},
		{"2025-06-02 14:10:11 02", kindString, time.Time{}},
		{"2025-06-02 14:10:1102:00", kindString, time.Time{}},
		{"2025-06-02 14:10:11 15:00", kindString, time.Time{}},
		{"2025-06-02 14:10:11 02:60", kindString, time.Time{}},
		{"2025-06-02 14:10:11 02:00x", kindString, time.Time{}},
		{`{"date":"2020-08-11 16:09:53","timezone_type":1,"timezone":"02:00"}`, kindObject, time.Time{}},
		{"29.02.2023 00:00", kindString, time.Time{}},
		{"2020-02-30 10:00:00", kindString, time.Time{}},
		{"2020-08-11 24:00:00", kindString, time.Time{}},
		{"2020-08-11 16:60", kindString, time.Time{}},
		{"2020-08-11 16:09:53.", kindString, time.Time{}},
		{"2020-08-11 16:09:53 CEST", kindString, time.Time{}},
		{"2020-08-11X16:09", kindString, time.Time{}},
		{"-5", kindNumber, time.Time{}},
		{"yesterday", kindString, time.Time{}},
		{"true", kindBool, time.Time{}},
	}
	for _, tt := range tests {
		d := dateReader{loc: time.UTC}
		got, ok := d.read(rawField{value: []byte(tt.in), kind: tt.kind})
		assert.Equal(t, !tt.want.IsZero(), ok, "%s", tt.in)
		assert.Equal(t, tt.want, got, "%s", tt.in)
	}
}

// TestZoneNamesAreBounded: spellings of a zone other than the database's
// own are not looked up, found zones are cached under their canonical
// name only, and one body looks up at most maxZoneLookups names.
func TestZoneNamesAreBounded(t *testing.T) {
	phpDate := func(zone string) rawField {
		return rawField{kind: kindObject, value: []byte(`{"date":"2020-01-11 16:09:53","timezone_type":3,"timezone":"` + zone + `"}`)}
	}
	berlin := time.Date(2020, 1, 11, 15, 9, 53, 0, time.UTC)

	d := dateReader{loc: time.UTC}
	got, ok := d.read(phpDate("Europe/Berlin"))
	require.True(t, ok)
	assert.Equal(t, berlin, got)
	before := zoneCacheSize.Load()

	for i := range 4000 {
		d := dateReader{loc: time.UTC}
		spelling := "Europe/" + strings.Repeat("/", i%50+1) + "Berlin"
		if i%2 == 1 {
			spelling = strings.Repeat("./", i%50+1) + "Europe/Berlin"
		}
		_, ok := d.read(phpDate(spelling))
		assert.False(t, ok, spelling)
		assert.Zero(t, d.zoneLookups, "%s was looked up", spelling)
	}
	assert.Equal(t, before, zoneCacheSize.Load(), "the cache grew")

	for _, name := range []string{"", "Local", "/etc/passwd", "../../etc/passwd", "Europe/Berlin/", "Europe\\Berlin",
		"1Europe/Berlin", "Europe/Ber lin", "Europe/Berlin\x00", strings.Repeat("A", maxZoneName+1)} {
		d := dateReader{loc: time.UTC}
		_, ok := d.loadZone([]byte(name))
		assert.False(t, ok, "%q", name)
	}
	for _, name := range []string{"UTC", "Europe/Berlin", "Etc/GMT+2", "America/Port-au-Prince", "America/Argentina/Buenos_Aires"} {
		assert.True(t, canonicalZoneName([]byte(name)), name)
	}

	// Unknown names, each of which would cost a search: at most
	// maxZoneLookups per body, whether found or not.
	d = dateReader{loc: time.UTC}
	for i := range 20 {
		_, ok := d.read(phpDate("Mars/Olympus" + strconv.Itoa(i)))
		assert.False(t, ok)
	}
	assert.Equal(t, maxZoneLookups, d.zoneLookups)
	got, ok = d.read(phpDate("Europe/Berlin"))
	assert.True(t, ok, "a cached zone needs no lookup")
	assert.Equal(t, berlin, got)

	// A whole body of such dates is read, with the odd ones kept.
	var b strings.Builder
	b.WriteString(`{"sms_id":1`)
	for i := range 50 {
		fmt.Fprintf(&b, `,"date":{"date":"2020-01-11 16:09:53","timezone_type":3,"timezone":"Mars/Olympus%d"}`, i)
	}
	b.WriteString(`}`)
	ev, err := Parse("application/json", []byte(b.String()))
	require.NoError(t, err)
	assert.Contains(t, ev.(*TextMessage).Extra, "date")
}

// TestZoneCacheIsBounded: the cache stops growing at maxZoneCache zones.
func TestZoneCacheIsBounded(t *testing.T) {
	names, err := filepath.Glob("/usr/share/zoneinfo/*/*")
	if err != nil || len(names) < maxZoneCache+1 {
		t.Skip("the system's time zone database (Debian package tzdata) is not in /usr/share/zoneinfo")
	}
	for _, path := range names {
		d := dateReader{loc: time.UTC}
		d.loadZone([]byte(strings.TrimPrefix(path, "/usr/share/zoneinfo/")))
	}
	assert.LessOrEqual(t, zoneCacheSize.Load(), int64(maxZoneCache))
	n := 0
	zoneCache.Range(func(_, _ any) bool { n++; return true })
	assert.Equal(t, int64(n), zoneCacheSize.Load())
}
