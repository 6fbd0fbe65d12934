// jsonstring_test.go holds the reading of JSON strings eight bytes at a
// time to the byte-by-byte table.

package smsgw24

import (
	"testing"
)

// FuzzPlainRun holds plainRun, which reads eight bytes at a time, to the
// byte-by-byte reading of plainByte.
func FuzzPlainRun(f *testing.F) {
	for _, seed := range []string{"", "abc", `abcdefgh"`, "abcdefghijklmno\\", "abcdefg\x1f", "abcdefgh\x80", "\"", "ab\x7fcdefghij\x00", "\xff\xff\xff\xff\xff\xff\xff\xff"} {
		f.Add([]byte(seed), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, from uint8) {
		j := min(int(from), len(data))
		want, wantASCII := j, true
		for want < len(data) && plainByte[data[want]] {
			wantASCII = wantASCII && data[want] < 0x80
			want++
		}
		if got, ascii := plainRun(data, j); got != want || ascii != wantASCII {
			t.Fatalf("plainRun(%q, %d) = %d, %v, want %d, %v", data, j, got, ascii, want, wantASCII)
		}
	})
}
