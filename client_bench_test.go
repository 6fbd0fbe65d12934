// client_bench_test.go measures reading a getallsms answer of 100 and of
// 1000 messages against what users would write by hand in the same run:
// json.Unmarshal into plain structs, the PHP dates parsed with time.Parse.
// Run: go test -run '^$' -bench Answer -benchmem

package smsgw24

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"
)

// bigAnswer is the verbatim getallsms answer with its one entry repeated
// n times under different ids.
func bigAnswer(b *testing.B, n int) []byte {
	data, err := os.ReadFile("testdata/api/getallsms.json")
	if err != nil {
		b.Fatal(err)
	}
	start := bytes.Index(data, []byte(`{"id":22074698`))
	end := bytes.Index(data, []byte(`}},"count"`)) + 1
	entry := data[start:end]
	var out bytes.Buffer
	out.WriteString(`{"error":0,"smss":{`)
	for i := range n {
		if i > 0 {
			out.WriteByte(',')
		}
		id := fmt.Sprint(22074698 + i)
		fmt.Fprintf(&out, "%q:%s", id, bytes.Replace(entry, []byte("22074698"), []byte(id), 1))
	}
	fmt.Fprintf(&out, `},"count":%d,"message":"Ok"}`, n)
	return out.Bytes()
}

// plainDate and plainMessage are what a user would decode getallsms into
// by hand.
type plainDate struct {
	Date     string `json:"date"`
	Timezone string `json:"timezone"`
}

type plainMessage struct {
	ID         int64      `json:"id"`
	SendTo     string     `json:"sendto"`
	Body       string     `json:"body"`
	CustomerID *int64     `json:"customerid"`
	Status     int        `json:"status"`
	StatusText string     `json:"statustitle"`
	DeviceID   int64      `json:"deviceid"`
	Urgent     *bool      `json:"urgent"`
	Created    plainDate  `json:"created"`
	SentTime   *plainDate `json:"senttime"`
	TimeToSend plainDate  `json:"timetosend"`
	SIM        int        `json:"sim"`
}

func (d plainDate) time() time.Time {
	t, _ := time.Parse("2006-01-02 15:04:05.000000-07:00", d.Date+d.Timezone)
	return t.UTC()
}

func BenchmarkAnswer(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("getallsms_%d", n), func(b *testing.B) { benchmarkAnswer(b, n) })
	}
}

func benchmarkAnswer(b *testing.B, n int) {
	data := bigAnswer(b, n)
	b.Run("smsgw24", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			ar := &answerReader{loc: time.UTC}
			fields, err := ar.object(data)
			if err != nil || readEnvelope(fields).failed {
				b.Fatal(err)
			}
			f, _ := fields.get("smss")
			keys, entries := ar.entries(f)
			ms := make([]Message, 0, len(entries))
			for i, e := range entries {
				ms = append(ms, ar.message(keys[i], e))
			}
			byID(ms, func(m *Message) int64 { return m.ID })
			if len(ms) != n || ms[0].Created.IsZero() {
				b.Fatal(len(ms))
			}
		}
	})
	b.Run("json.Unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var answer struct {
				Error int                     `json:"error"`
				SMSS  map[string]plainMessage `json:"smss"`
			}
			if err := json.Unmarshal(data, &answer); err != nil || answer.Error != 0 {
				b.Fatal(err)
			}
			ms := make([]Message, 0, len(answer.SMSS))
			for _, p := range answer.SMSS {
				ms = append(ms, Message{ID: p.ID, To: p.SendTo, Body: p.Body, Status: Status(p.Status),
					StatusText: p.StatusText, DeviceID: p.DeviceID, Created: p.Created.time(), SendAt: p.TimeToSend.time(),
					Channel: Channel(p.SIM)})
			}
			byID(ms, func(m *Message) int64 { return m.ID })
			if len(ms) != n || ms[0].Created.IsZero() {
				b.Fatal(len(ms))
			}
		}
	})
}
