// events.go holds the events a run posts: status updates, text messages
// and images in turn, each with its own sms_id, as the gateway's JSON
// webhook bodies, with the key smsgw24.EventKey gives each.

package fault

import (
	"fmt"
	"strconv"

	"github.com/go-smsgw24/smsgw24"
)

// Event is one event of a run.
type Event struct {
	Body []byte
	Key  string // smsgw24.EventKey of the parsed body
}

// Events returns n events, numbered from 0, whose sms_ids start at
// 7_000_000.
func Events(n int) ([]Event, error) {
	evs := make([]Event, n)
	for i := range evs {
		id := strconv.Itoa(7_000_000 + i)
		var body string
		switch i % 3 {
		case 0:
			body = `{"sms_id":` + id + `,"status_id":7,"status_message":"Delivered","sendto":"+5511987654321","senttime":"2025-06-02 14:05:09","channel_id":0,"device_id":12345}`
		case 1:
			body = `{"address":"+5511987654321","date":"2025-06-02 14:10:11","body":"Olá! Pedido ` + id + `","internal_id":7310,"channel_id":3,"sms_id":` + id + `,"device_id":12345,"device_name":"Pixel 6a","type":"text"}`
		default:
			body = `{"address":"+5511987654321","date":"2025-06-02 14:21:00","body":"","sim":3,"sms_id":` + id + `,"type":"img","img_url":"https://smsgateway24.s3.eu-central-1.amazonaws.com/img/` + id + `.jpg","device_id":12345}`
		}
		ev, err := smsgw24.Parse("application/json", []byte(body))
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
		evs[i] = Event{Body: []byte(body), Key: smsgw24.EventKey(ev)}
	}
	return evs, nil
}
