// date_test.go pins the date reader to every date format seen on the wire,
// and the bounds on the zone names it looks up; FuzzDateText holds the
// reader of calendar dates to a plain one and to time.ParseInLocation.

package smsgw24

import (
	"bytes"
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
		// The ends of the calendar, and leap days.
		{"0001-01-01 00:00:01", kindString, utc(1, 1, 1, 0, 0, 1, 0)},
		{"9999-12-31 23:59:59.999999999", kindString, utc(9999, 12, 31, 23, 59, 59, 999_999_999)},
		{"0001-01-01 00:30+01:00", kindString, time.Time{}},
		{"0000-12-31 23:30-01:00", kindString, utc(1, 1, 1, 0, 30, 0, 0)},
		{"9999-12-31 23:30-01:00", kindString, time.Time{}},
		{"10000-01-01", kindString, time.Time{}},
		{"0000-02-29", kindString, time.Time{}}, // a leap day, but of the year 0
		{"1900-02-29", kindString, time.Time{}},
		{"2000-02-29 12:00", kindString, utc(2000, 2, 29, 12, 0, 0, 0)},
		{"1969-12-31 23:59:59.5", kindString, utc(1969, 12, 31, 23, 59, 59, 500_000_000)},
		{"1600-03-01T00:00:00+14:00", kindString, utc(1600, 2, 29, 10, 0, 0, 0)},
		{"31.12.1999 23:59:59-00:30", kindString, utc(2000, 1, 1, 0, 29, 59, 0)},
		// One wrong byte in each place of the calendar date.
		{"2020/08-11", kindString, time.Time{}},
		{"2020-08/11", kindString, time.Time{}},
		{"202a-08-11", kindString, time.Time{}},
		{"2020-0:-11", kindString, time.Time{}},
		{"2020-08-1/", kindString, time.Time{}},
		{"2020-13-11", kindString, time.Time{}},
		{"2020-00-11", kindString, time.Time{}},
		{"2020-08-00", kindString, time.Time{}},
		{"28-03.2020", kindString, time.Time{}},
		{"28.03.202\xff", kindString, time.Time{}},
		{"2020-08-1", kindString, time.Time{}},
	}
	for _, tt := range tests {
		d := dateReader{loc: time.UTC}
		got, ok := d.read(&rawField{value: []byte(tt.in), kind: tt.kind})
		assert.Equal(t, !tt.want.IsZero(), ok, "%s", tt.in)
		assert.Equal(t, tt.want, got, "%s", tt.in)
	}
}

// TestReadDateInLocation: a date without a zone is in the reader's
// location, whatever that is; one with a zone is where its zone says.
func TestReadDateInLocation(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	tests := []struct {
		in   string
		loc  *time.Location
		want time.Time
	}{
		{"2020-08-11 16:09:53", berlin, utc(2020, 8, 11, 14, 9, 53, 0)},
		{"2020-01-11 16:09:53", berlin, utc(2020, 1, 11, 15, 9, 53, 0)},
		{"2020-03-29 02:30", berlin, utc(2020, 3, 29, 1, 30, 0, 0)}, // an hour the clocks skip, as time.Date takes it
		{"2020-08-11 16:09:53", time.FixedZone("", -3*3600), utc(2020, 8, 11, 19, 9, 53, 0)},
		{"2020-08-11 16:09:53", time.FixedZone("UTC", 0), utc(2020, 8, 11, 16, 9, 53, 0)},
		{"2020-08-11 16:09:53Z", berlin, utc(2020, 8, 11, 16, 9, 53, 0)},
		{"2020-08-11 16:09:53+05:30", berlin, utc(2020, 8, 11, 10, 39, 53, 0)},
		{"0001-01-01 00:30", time.FixedZone("", 3600), time.Time{}},
	}
	for _, tt := range tests {
		d := dateReader{loc: tt.loc}
		got, ok := d.read(&rawField{value: []byte(tt.in), kind: kindString})
		assert.Equal(t, !tt.want.IsZero(), ok, "%s", tt.in)
		assert.Equal(t, tt.want, got, "%s", tt.in)
		assert.True(t, tt.want == got, "%s: %#v", tt.in, got) // the same time.Time, location and all
	}
}

// FuzzDateText holds parseDateText to plainDateText, which reads the same
// texts the plain way, exactly: the same answer and the same time.Time.
// Where time.ParseInLocation reads a text with one of the layouts the wire
// uses, parseDateText either refuses it or reads the same instant.
func FuzzDateText(f *testing.F) {
	locations := fuzzDateLocations()
	for _, seed := range []string{
		"2025-06-02 14:10:11", "2020-08-11 16:09:53.123456789123", "2020-08-11 16:09", "2020-08-11",
		"2020-08-11T16:09:53Z", "2020-08-11t16:09:53.5+02:00", "2020-08-11T16:09:53-0530", "2020-08-11 16:09:53 UTC",
		"28.03.2020 20:10:29", "29.02.2024 00:00", "2025-06-02T14:10:11 02:00", "2025-06-02 14:10:11  0530",
		"2025-06-02 14:10:11 02", "0001-01-01 00:30+01:00", "0000-12-31 23:30-01:00", "9999-12-31 23:30-01:00",
		"2020-02-30 10:00:00", "2020-08-11 24:00:00", "2020-08-11 16:09:53,5", "2020-08-11 16:09:53.", "202a-08-11",
		"1600-03-01T00:00:00+14:00", "1969-12-31 23:59:59.999999999Z", "2020-03-29 02:30",
	} {
		for zone := range uint8(len(locations)) {
			f.Add(seed, zone)
		}
	}
	layouts := []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02 15:04:05", time.RFC3339Nano,
		"2006-01-02 15:04:05Z07:00", "02.01.2006 15:04", "02.01.2006 15:04:05"}
	f.Fuzz(func(t *testing.T, text string, zone uint8) {
		loc := locations[int(zone)%len(locations)]
		got, ok := parseDateText([]byte(text), loc)
		want, wantOK := plainDateText([]byte(text), loc)
		require.Equal(t, wantOK, ok, "%q", text)
		require.True(t, want == got, "%q: %#v, want %#v", text, got, want)
		if !ok {
			return
		}
		for _, layout := range layouts {
			if ref, err := time.ParseInLocation(layout, text, loc); err == nil {
				require.True(t, ref.UTC() == got, "%q as %s: %v, time.ParseInLocation %v", text, layout, got, ref)
			}
		}
	})
}

// fuzzDateLocations are the locations FuzzDateText reads dates in: UTC,
// fixed offsets, one named UTC but not time.UTC, and one with summer time.
func fuzzDateLocations() []*time.Location {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		berlin = time.FixedZone("CET", 3600)
	}
	return []*time.Location{time.UTC, time.FixedZone("", 2*3600), time.FixedZone("", -(9*3600 + 30*60)),
		time.FixedZone("UTC", 0), berlin}
}

// TestDaysSinceEpoch counts every day of the years 0 to 9999 as time does.
func TestDaysSinceEpoch(t *testing.T) {
	first := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC).Unix() / 86400
	last := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC).Unix() / 86400
	for days := first; days <= last; days++ {
		year, month, day := time.Unix(days*86400, 0).UTC().Date()
		if got := daysSinceEpoch(year, int(month), day); got != days {
			t.Fatalf("%04d-%02d-%02d: %d days, want %d", year, month, day, got, days)
		}
	}
}

// plainDateText reads what parseDateText reads, the plain way: each
// layout of dateShapes walked byte by byte, the time of day with digitsAt,
// the zone as a *time.Location and the instant left to time.Date.
func plainDateText(v []byte, loc *time.Location) (time.Time, bool) {
	var year, month, day int
	var layout string
	for _, shape := range dateShapes {
		if len(v) < len(shape.layout) {
			continue
		}
		ok := true
		for i := range len(shape.layout) {
			c := v[i]
			switch shape.layout[i] {
			case 'Y', 'M', 'D':
				ok = ok && c >= '0' && c <= '9'
			default:
				ok = ok && c == shape.layout[i]
			}
		}
		if ok {
			year, _ = digitsAt(v, shape.year, 4)
			month, _ = digitsAt(v, shape.month, 2)
			day, _ = digitsAt(v, shape.day, 2)
			layout = shape.layout
			break
		}
	}
	if layout == "" || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return time.Time{}, false
	}
	rest := v[len(layout):]
	var hour, minute, sec, nsec int
	if len(rest) > 0 {
		if rest[0] != ' ' && rest[0] != 'T' && rest[0] != 't' || len(rest) < 6 || rest[3] != ':' {
			return time.Time{}, false
		}
		h, ok1 := digitsAt(rest, 1, 2)
		m, ok2 := digitsAt(rest, 4, 2)
		hour, minute = h, m
		if !ok1 || !ok2 || hour > 23 || minute > 59 {
			return time.Time{}, false
		}
		rest = rest[6:]
		if len(rest) >= 3 && rest[0] == ':' {
			var ok bool
			if sec, ok = digitsAt(rest, 1, 2); !ok || sec > 59 {
				return time.Time{}, false
			}
			rest = rest[3:]
			if len(rest) >= 2 && (rest[0] == '.' || rest[0] == ',') {
				n := 1
				for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
					if n <= 9 {
						nsec = nsec*10 + int(rest[n]-'0')
					}
					n++
				}
				if n == 1 {
					return time.Time{}, false
				}
				for k := n; k <= 9; k++ {
					nsec *= 10
				}
				rest = rest[n:]
			}
		}
		spaced := len(rest) > 0 && rest[0] == ' '
		rest = bytes.TrimLeft(rest, " ")
		if len(rest) > 0 {
			if len(rest) == 3 && string(rest) == "UTC" || len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z') {
				loc = time.UTC
			} else if off, ok := parseOffset(rest); ok {
				loc = time.FixedZone("", off)
			} else if off, ok := offsetDigits(rest); ok && spaced && len(rest) >= 4 {
				loc = time.FixedZone("", off)
			} else {
				return time.Time{}, false
			}
		}
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc).UTC()
	if y := t.Year(); y < 1 || y > 9999 {
		return time.Time{}, false
	}
	return t, true
}

// TestZoneNamesAreBounded: spellings of a zone other than the database's
// own are not looked up, found zones are cached under their canonical
// name only, and one body looks up at most maxZoneLookups names.
func TestZoneNamesAreBounded(t *testing.T) {
	phpDate := func(zone string) *rawField {
		return &rawField{kind: kindObject, value: []byte(`{"date":"2020-01-11 16:09:53","timezone_type":3,"timezone":"` + zone + `"}`)}
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

// digitsAt reads the n digits at v[i] one by one, as plainDateText reads
// them.
func digitsAt(v []byte, i, n int) (int, bool) {
	if len(v) < i+n {
		return 0, false
	}
	x := 0
	for _, c := range v[i : i+n] {
		if c < '0' || c > '9' {
			return 0, false
		}
		x = x*10 + int(c-'0')
	}
	return x, true
}
