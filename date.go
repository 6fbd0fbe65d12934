// date.go reads the dates of webhook bodies, in every format seen on the
// wire: calendar dates in the shapes of dateShapes with a time of day and
// zone, Unix seconds and milliseconds, and PHP DateTime objects with their
// zone names, which are looked up in the system's time zone database
// within bounds. It knows nothing of which field a date is.

package smsgw24

import (
	"bytes"
	"encoding/binary"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Bounds of the zone names that PHP DateTime objects carry.
const (
	// maxZoneCache is how many zones stay loaded: the time zone database
	// holds about 600, and a gateway's phones use a few.
	maxZoneCache = 512
	// maxZoneLookups is how many names one body may look up in the
	// system's time zone database, found or not.
	maxZoneLookups = 4
	// maxZoneName is the longest zone name looked up; the longest in the
	// database, America/Argentina/ComodRivadavia, has 32 bytes.
	maxZoneName = 64
)

// zoneCache keeps the locations that PHP DateTime objects named, so that
// each is loaded from the system's time zone database once. It holds at
// most maxZoneCache canonical names.
var (
	zoneCache     sync.Map // string → *time.Location
	zoneCacheSize atomic.Int64
)

// loadZone finds the location a zone name names. Only a name spelled as
// the database spells its zones is looked up (see canonicalZoneName), and
// at most maxZoneLookups names per body, so that no body can fill memory
// with spellings of one zone or cost many searches of the file system.
func (d *dateReader) loadZone(name []byte) (*time.Location, bool) {
	if !canonicalZoneName(name) {
		return nil, false
	}
	key := string(name)
	if loc, ok := zoneCache.Load(key); ok {
		return loc.(*time.Location), true
	}
	if key == "Local" || d.zoneLookups >= maxZoneLookups {
		return nil, false
	}
	d.zoneLookups++
	loc, err := time.LoadLocation(key)
	if err != nil {
		return nil, false
	}
	if zoneCacheSize.Add(1) > maxZoneCache {
		zoneCacheSize.Add(-1)
	} else if _, loaded := zoneCache.LoadOrStore(key, loc); loaded {
		zoneCacheSize.Add(-1)
	}
	return loc, true
}

// canonicalZoneName reports whether name is spelled as the time zone
// database spells its zones: segments of letters, digits, '_', '-' and '+'
// joined by single slashes, the first starting with a letter ("UTC",
// "Europe/Berlin", "Etc/GMT+2", "America/Port-au-Prince"). Other spellings
// of a zone, such as "Europe//Berlin" or "./Europe/Berlin", may name the
// same file but are not looked up.
func canonicalZoneName(name []byte) bool {
	if len(name) == 0 || len(name) > maxZoneName || !isLetter(name[0]) {
		return false
	}
	for i, c := range name {
		switch {
		case isLetter(c), c >= '0' && c <= '9', c == '_', c == '-', c == '+':
		case c == '/':
			if i+1 == len(name) || name[i+1] == '/' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// dateReader reads the dates of one body.
type dateReader struct {
	loc         *time.Location // where a date without a zone is; not nil
	zoneLookups int            // zone names looked up in the system's database for this body
	scratch     []byte         // spare room of the body's scratch buffer, for PHP DateTime objects
}

// read reads a date in any of the formats seen on the wire:
//
//	2020-08-11 16:09:53, with fractions, or without seconds
//	2020-08-11T16:09:53Z and other RFC 3339 forms, with or without a zone
//	28.03.2020 20:10:29, or without seconds
//	1597162193 and 1597162193000: Unix seconds or milliseconds
//	{"date":"2020-08-11 16:09:53.000000","timezone_type":1,"timezone":"+02:00"}
//
// A date without a zone is in d.loc. ok is false for anything else.
func (d *dateReader) read(f *rawField) (t time.Time, ok bool) {
	switch f.kind {
	case kindNumber:
		return epoch(f.value)
	case kindObject:
		return d.readPHPDate(f.value)
	case kindString:
		v := trimSpace(f.value)
		if len(v) > 0 && v[0] == '{' {
			return d.readPHPDate(v)
		}
		if t, ok := parseDateText(v, d.loc); ok {
			return t, true
		}
		return epoch(v)
	}
	return time.Time{}, false
}

// epoch reads Unix seconds, or milliseconds where the number is too large
// to be seconds of this era. Times past the year 9999 are not dates.
func epoch(v []byte) (time.Time, bool) {
	n, ok := parseWhole(v)
	switch {
	case !ok || n < 0 || n >= maxUnixMilli:
		return time.Time{}, false
	case n >= 1e11: // 1e11 s is the year 5138; 1e11 ms is 1973
		return time.UnixMilli(n).UTC(), true
	}
	return time.Unix(n, 0).UTC(), true
}

// maxUnixMilli is 10000-01-01T00:00:00Z in Unix milliseconds.
const maxUnixMilli = 253402300800000

// readPHPDate reads the JSON form of a PHP DateTime object.
func (d *dateReader) readPHPDate(obj []byte) (time.Time, bool) {
	var inner wireState
	inner.scratch = d.scratch
	loc := d.loc
	if inner.scanJSON(obj) != nil {
		return time.Time{}, false
	}
	var date, zone []byte
	for _, f := range inner.fields() {
		switch string(f.name) {
		case "date":
			date = f.value
		case "timezone":
			zone = f.value
		}
	}
	if date == nil {
		return time.Time{}, false
	}
	if z := trimSpace(zone); len(z) > 0 {
		if off, ok := parseOffset(z); ok {
			loc = time.FixedZone("", off)
		} else if off, ok := offsetDigits(z); ok && zone[0] == ' ' && len(z) >= 4 {
			loc = time.FixedZone("", off) // "+02:00" whose '+' a form turned into a space
		} else if l, ok := d.loadZone(z); ok {
			loc = l
		} else {
			return time.Time{}, false // a zone we cannot place would give a wrong instant
		}
	}
	return parseDateText(trimSpace(date), loc)
}

// dateShape is one way the wire writes a calendar date: a layout of
// YYYY, MM and DD with the separators between them, such as "DD.MM.YYYY".
// A layout is 8 to 16 bytes long, so that two words of eight bytes cover
// it: head its first eight bytes, tail its last eight.
type dateShape struct {
	layout           string
	year, month, day int // where each starts in layout
	head, tail       wordShape
}

// wordShape is what eight bytes of text must be: the bytes under sepMask
// equal sep, and each other byte is a digit.
type wordShape struct{ sepMask, sep uint64 }

// dateShapes are the calendar dates parseDateText reads, the common shape
// first. To read another, add a row; a time of day and a zone may follow
// any of them.
var dateShapes = [...]dateShape{
	newDateShape("YYYY-MM-DD"), // 2020-08-11 16:09:53, RFC 3339: the gateway's own
	newDateShape("DD.MM.YYYY"), // 28.03.2020 20:10:29: phones set to a European locale
}

func newDateShape(layout string) dateShape {
	s := dateShape{layout: layout, year: strings.Index(layout, "YYYY"),
		month: strings.Index(layout, "MM"), day: strings.Index(layout, "DD")}
	if s.year < 0 || s.month < 0 || s.day < 0 {
		panic("smsgw24: date shape " + layout + " lacks YYYY, MM or DD")
	}
	if len(layout) > 16 {
		panic("smsgw24: date shape " + layout + " is longer than 16 bytes")
	}
	s.head = newWordShape(layout[:8])
	s.tail = newWordShape(layout[len(layout)-8:])
	return s
}

func newWordShape(layout string) wordShape {
	var w wordShape
	for i := range 8 {
		if c := layout[i]; c != 'Y' && c != 'M' && c != 'D' {
			w.sepMask |= 0xff << (8 * i)
			w.sep |= uint64(c) << (8 * i)
		}
	}
	return w
}

// match reports whether the eight bytes of w, read as a little-endian
// word, are of shape s.
func (s wordShape) match(w uint64) bool {
	const bytes30, bytesF0, bytes06 = 0x3030303030303030, 0xf0f0f0f0f0f0f0f0, 0x0606060606060606
	if w&s.sepMask != s.sep {
		return false
	}
	// With the separators masked out to 0, each byte that should be a
	// digit is 0x30 to 0x3f, and stays below 0x40 with 6 added: '0' to
	// '9'. No byte carries into the next.
	digits := w &^ s.sepMask
	want := bytes30 &^ s.sepMask
	return digits&bytesF0 == want && (digits+(bytes06&^s.sepMask))&bytesF0 == want
}

// read reads the calendar date that v starts with in shape s.
func (s *dateShape) read(v []byte) (year, month, day int, ok bool) {
	n := len(s.layout)
	if len(v) < n || !s.head.match(binary.LittleEndian.Uint64(v)) || !s.tail.match(binary.LittleEndian.Uint64(v[n-8:])) {
		return 0, 0, 0, false
	}
	y, m, d := (*[4]byte)(v[s.year:]), (*[2]byte)(v[s.month:]), (*[2]byte)(v[s.day:])
	year = int(y[0]-'0')*1000 + int(y[1]-'0')*100 + int(y[2]-'0')*10 + int(y[3]-'0')
	return year, int(m[0]-'0')*10 + int(m[1]-'0'), int(d[0]-'0')*10 + int(d[1]-'0'), true
}

// parseDateText reads a calendar date in one of dateShapes, then an
// optional time of day "[ T]hh:mm[:ss[.fff]]" and zone ("Z", "UTC",
// "+02:00", "+0200", "+02"). It is written by hand rather than trying
// layouts one by one with time.Parse, which allocates on every miss.
func parseDateText(v []byte, loc *time.Location) (time.Time, bool) {
	var year, month, day int
	var ok bool
	var shape *dateShape
	for i := range dateShapes {
		if year, month, day, ok = dateShapes[i].read(v); ok {
			shape = &dateShapes[i]
			break
		}
	}
	if !ok || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return time.Time{}, false
	}
	rest := v[len(shape.layout):]
	var hour, minute, sec, nsec int
	// fixed: the date is offset seconds east of UTC, as loc is UTC or the
	// text names its zone.
	fixed, offset := loc == time.UTC, 0
	if len(rest) > 0 {
		if len(rest) < 6 || rest[0] != ' ' && rest[0] != 'T' && rest[0] != 't' || rest[3] != ':' {
			return time.Time{}, false
		}
		h, ok1 := twoDigits(rest[1], rest[2])
		m, ok2 := twoDigits(rest[4], rest[5])
		hour, minute = h, m
		if !ok1 || !ok2 || hour > 23 || minute > 59 {
			return time.Time{}, false
		}
		rest = rest[6:]
		if len(rest) >= 3 && rest[0] == ':' {
			if sec, ok = twoDigits(rest[1], rest[2]); !ok || sec > 59 {
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
		if spaced {
			rest = bytes.TrimLeft(rest, " ")
		}
		if len(rest) > 0 {
			if len(rest) == 3 && string(rest) == "UTC" || len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z') {
				fixed, offset = true, 0
			} else if off, ok := parseOffset(rest); ok {
				fixed, offset = true, off
			} else if off, ok := offsetDigits(rest); ok && spaced && len(rest) >= 4 {
				// "+02:00" whose '+' a form turned into a space, as
				// "2025-06-02T14:10:11+02:00" sent unescaped arrives.
				fixed, offset = true, off
			} else {
				return time.Time{}, false
			}
		}
	}
	var t time.Time
	if fixed {
		// The instant is plain arithmetic: the very time.Time that
		// time.Date would give, without its search of a location.
		secs := daysSinceEpoch(year, month, day)*86400 + int64(hour*3600+minute*60+sec-offset)
		t = time.Unix(secs, int64(nsec)).UTC()
	} else {
		t = time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc).UTC()
	}
	// A zone can push only the first and the last year out of the years
	// RFC 3339 can write.
	if year <= 1 || year >= 9999 {
		if y := t.Year(); y < 1 || y > 9999 {
			return time.Time{}, false
		}
	}
	return t, true
}

// daysSinceEpoch is the number of days from 1970-01-01 to a date of the
// proleptic Gregorian calendar, as time.Date counts them, for the years 0
// to 9999.
func daysSinceEpoch(year, month, day int) int64 {
	// The leap days of the years 0 to y, y being the year before unless
	// the date is past February: the 97 of 400 years before the year 0
	// are added to keep y positive, then taken away.
	y := uint(year + 400)
	if month <= 2 {
		y--
	}
	leapDays := int(y/4-y/100+y/400) + 1 - 97
	const daysTo1970 = 719528 // from 0000-01-01
	return int64(365*year + leapDays + int(daysBeforeMonth[month]) + day - 1 - daysTo1970)
}

// daysBeforeMonth holds, for each month, the days before it in a year that
// is not a leap year.
var daysBeforeMonth = [13]uint16{0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}

// parseOffset reads a zone offset: +02:00, +0200, +02 or -05:30.
func parseOffset(v []byte) (int, bool) {
	if len(v) == 0 || (v[0] != '+' && v[0] != '-') {
		return 0, false
	}
	off, ok := offsetDigits(v[1:])
	if v[0] == '-' {
		off = -off
	}
	return off, ok
}

// offsetDigits reads the hours and minutes of a zone offset without its
// sign, in seconds: 02:00, 0200 or 02.
func offsetDigits(v []byte) (int, bool) {
	if len(v) < 2 {
		return 0, false
	}
	hours, ok := twoDigits(v[0], v[1])
	minutes := 0
	switch rest := v[2:]; {
	case !ok:
	case len(rest) == 0:
	case len(rest) == 3 && rest[0] == ':':
		minutes, ok = twoDigits(rest[1], rest[2])
	case len(rest) == 2:
		minutes, ok = twoDigits(rest[0], rest[1])
	default:
		return 0, false
	}
	if !ok || hours > 14 || minutes > 59 {
		return 0, false
	}
	return (hours*60 + minutes) * 60, true
}

// twoDigits reads the number that two digits write.
func twoDigits(tens, ones byte) (int, bool) {
	t, o := tens-'0', ones-'0'
	return int(t)*10 + int(o), t <= 9 && o <= 9
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
