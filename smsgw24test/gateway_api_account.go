// gateway_api_account.go holds the Gateway's API methods about the account
// rather than one message: getalldevices and getdevicestatus for its
// phones, and savetag, savecontact and savepaket for its tags, contacts
// and newsletters.

package smsgw24test

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-smsgw24/smsgw24"
)

// getAllDevices answers as the real API does: without error or message.
func (g *Gateway) getAllDevices(w http.ResponseWriter, _ params) {
	g.mu.Lock()
	defer g.mu.Unlock()
	entries := map[string]any{}
	for _, d := range g.devices {
		sims := []any{}
		for _, s := range d.SIMs {
			roaming := "0"
			if s.Roaming {
				roaming = "1"
			}
			sims = append(sims, map[string]any{"Slot": strconv.Itoa(s.Slot), "IccId": s.ICCID, "Number": s.Number,
				"Roaming": roaming, "CountryIso": s.CountryISO, "CarrierName": s.Carrier})
		}
		var number any
		if d.Number != "" {
			number = d.Number
		}
		imei := d.IMEI
		if imei == "" {
			imei = "null"
		}
		entries[strconv.FormatInt(d.ID, 10)] = map[string]any{"id": d.ID, "title": d.Title, "number": number, "imei": imei,
			"created": phpDate(d.Created, time.UTC), "lastseen": phpDate(d.LastSeen, time.UTC), "siminfo": sims,
			"appversion": d.AppVersion, "subscription": d.Subscribed}
	}
	writeAnswer(w, http.StatusOK, map[string]any{"count": len(g.devices), "device": collection(entries)})
}

func (g *Gateway) getDeviceStatus(w http.ResponseWriter, p params) {
	g.mu.Lock()
	defer g.mu.Unlock()
	id, _, _ := p.int("device_id")
	d := g.device(id)
	if d == nil {
		fail(w, http.StatusOK, "Device not found")
		return
	}
	since := time.Since(d.LastSeen)
	writeAnswer(w, http.StatusOK, map[string]any{"online": since < 5*time.Minute, "error": 0, "message": "OK", "device_id": d.ID,
		"lastseen": phpDate(d.LastSeen, g.loc), "diffseconds": int64(since.Seconds()), "title": d.Title})
}

func (g *Gateway) saveTag(w http.ResponseWriter, p params) {
	title := p.get("title")
	if title == "" {
		fail(w, http.StatusOK, "title is empty")
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.tags = append(g.tags, title)
	writeAnswer(w, http.StatusOK, map[string]any{"error": 0, "message": "Ok", "tag_id": len(g.tags)})
}

// tagExists reports whether id is a saved tag. g.mu is held.
func (g *Gateway) tagExists(id int64) bool { return id > 0 && id <= int64(len(g.tags)) }

func (g *Gateway) saveContact(w http.ResponseWriter, p params) {
	g.mu.Lock()
	defer g.mu.Unlock()
	tagID, _, _ := p.int("tag_id")
	ct := smsgw24.Contact{Phone: p.get("phone"), Name: p.get("fullname"), TagID: tagID}
	switch {
	case ct.Phone == "":
		fail(w, http.StatusOK, "phone is empty")
		return
	case !g.tagExists(tagID):
		fail(w, http.StatusOK, "Tag not found")
		return
	}
	g.contacts = append(g.contacts, ct)
	writeAnswer(w, http.StatusOK, map[string]any{"error": 0, "message": "Ok", "contact_id": len(g.contacts)})
}

func (g *Gateway) saveNewsletter(w http.ResponseWriter, p params) {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := smsgw24.Newsletter{Title: p.get("title"), Body: p.values["body"]}
	n.DeviceID, _, _ = p.int("device_id")
	sim, _, _ := p.int("sim")
	n.Channel = smsgw24.Channel(sim)
	for v := range strings.SplitSeq(p.get("tags"), ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || !g.tagExists(id) {
			fail(w, http.StatusOK, "Tag not found")
			return
		}
		n.TagIDs = append(n.TagIDs, id)
	}
	switch {
	case n.Title == "" || n.Body == "":
		fail(w, http.StatusOK, "title or body is empty")
		return
	case g.device(n.DeviceID) == nil:
		fail(w, http.StatusOK, "Device not found")
		return
	}
	g.newsletters = append(g.newsletters, n)
	writeAnswer(w, http.StatusOK, map[string]any{"error": 0, "message": "Ok", "paket_id": len(g.newsletters)})
}
