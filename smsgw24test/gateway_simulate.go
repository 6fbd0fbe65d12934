// gateway_simulate.go holds the Gateway's endpoints for work by hand, which
// the real API does not have: POST /simulate/text and /simulate/image make
// a message arrive at a phone, as InjectText and InjectImage do in a test.

package smsgw24test

import (
	"crypto/subtle"
	"net/http"

	"github.com/go-smsgw24/smsgw24"
)

// simulate serves /simulate/text and /simulate/image: with the token, a
// form's address, body (or img_url), and optionally device_id and
// channel_id, it queues an incoming message and answers its sms_id in the
// API's envelope.
func (g *Gateway) simulate(w http.ResponseWriter, kind string, p params) {
	if subtle.ConstantTimeCompare([]byte(p.get("token")), []byte(g.opts.Token)) != 1 {
		fail(w, http.StatusOK, "Token not found")
		return
	}
	deviceID, _, err := p.int("device_id")
	if err != nil {
		fail(w, http.StatusOK, err.Error())
		return
	}
	channel, _, err := p.int("channel_id")
	if err != nil {
		fail(w, http.StatusOK, err.Error())
		return
	}
	g.mu.Lock()
	known := deviceID == 0 || g.device(deviceID) != nil
	g.mu.Unlock()
	if !known {
		fail(w, http.StatusOK, "device not found")
		return
	}
	address := p.get("address")
	if address == "" {
		fail(w, http.StatusOK, "address is empty")
		return
	}
	var id int64
	switch kind {
	case "text":
		id = g.InjectText(smsgw24.TextMessage{Address: address, Body: p.values["body"], DeviceID: deviceID, Channel: smsgw24.Channel(channel)})
	case "image":
		id = g.InjectImage(smsgw24.ImageMessage{Address: address, ImageURL: p.get("img_url"), DeviceID: deviceID, Channel: smsgw24.Channel(channel)})
	default:
		fail(w, http.StatusNotFound, "Method not found")
		return
	}
	writeAnswer(w, http.StatusOK, map[string]any{"error": 0, "message": "Ok", "sms_id": id})
}
