// devices.go holds the client's methods that ask about the account's
// phones: Devices (getalldevices) and DeviceStatus (getdevicestatus), with
// the Device, SIMCard and DeviceStatus they return.

package smsgw24

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Device is one phone of the account as getalldevices lists it
// ([Client.Devices]). Its times are in UTC.
type Device struct {
	ID         int64
	Title      string
	Number     string    // "" when null
	IMEI       string    // "" when null or the string "null"
	Created    time.Time // created
	LastSeen   time.Time // lastseen: when the phone last called the gateway
	AppVersion string    // appversion
	Subscribed bool      // subscription
	SIMs       []SIMCard // siminfo
}

// SIMCard is one SIM card of a [Device] (an entry of siminfo).
type SIMCard struct {
	Slot       int
	Number     string // "+" restored where a leading space stands for it
	Carrier    string // CarrierName
	CountryISO string // CountryIso, such as "de"
	ICCID      string // IccId
	Roaming    bool
}

// DeviceStatus is whether a phone is online, as [Client.DeviceStatus]
// reports it (getdevicestatus). LastSeen is in UTC.
type DeviceStatus struct {
	DeviceID int64
	Title    string
	Online   bool
	LastSeen time.Time
}

// Devices lists the account's phones (getalldevices), ordered by ID. It is
// retried after a network error or a 5xx answer (see [Client]).
func (c *Client) Devices(ctx context.Context) ([]Device, error) {
	form, err := c.tokenForm()
	if err != nil {
		return nil, err
	}
	ans, err := c.call(ctx, "getalldevices", formRequest(form), true)
	if err != nil {
		return nil, err
	}
	f, _ := ans.fields.get("device")
	keys, entries := ans.reader.entries(f)
	out := make([]Device, 0, len(entries))
	for i, e := range entries {
		out = append(out, ans.reader.device(keys[i], e))
	}
	byID(out, func(d *Device) int64 { return d.ID })
	return out, nil
}

// DeviceStatus asks whether the phone deviceID is online (getdevicestatus).
// It is retried after a network error or a 5xx answer (see [Client]).
func (c *Client) DeviceStatus(ctx context.Context, deviceID int64) (*DeviceStatus, error) {
	form, err := c.tokenForm()
	if err != nil {
		return nil, err
	}
	if deviceID <= 0 {
		return nil, invalid("device_id", "DeviceStatus's deviceID", "must be more than 0")
	}
	form.Set("device_id", strconv.FormatInt(deviceID, 10))
	ans, err := c.call(ctx, "getdevicestatus", formRequest(form), true)
	if err != nil {
		return nil, err
	}
	fs := ans.fields
	ds := &DeviceStatus{
		DeviceID: fs.whole("device_id"),
		Title:    fs.text("title"),
		Online:   fs.flag("online"),
		LastSeen: ans.reader.time(fs, "lastseen"),
	}
	if ds.DeviceID == 0 {
		ds.DeviceID = deviceID
	}
	return ds, nil
}

// device reads one entry of device; key is its id where the entry has none.
func (ar *answerReader) device(key string, e answerFields) Device {
	d := Device{
		ID:         e.whole("id"),
		Title:      e.text("title"),
		Number:     nullText(phoneNumber([]byte(e.text("number")))),
		IMEI:       nullText(e.text("imei")),
		Created:    ar.time(e, "created"),
		LastSeen:   ar.time(e, "lastseen"),
		AppVersion: e.text("appversion"),
		Subscribed: e.flag("subscription"),
	}
	if d.ID == 0 {
		d.ID, _ = parseWhole([]byte(key))
	}
	f, _ := e.get("siminfo")
	_, sims := ar.entries(f)
	for _, s := range sims {
		d.SIMs = append(d.SIMs, SIMCard{
			Slot:       int(s.whole("slot")),
			Number:     phoneNumber([]byte(s.text("number"))),
			Carrier:    s.text("carriername"),
			CountryISO: s.text("countryiso"),
			ICCID:      s.text("iccid"),
			Roaming:    s.flag("roaming"),
		})
	}
	return d
}

// nullText is s, or "" for the string "null" that the API writes for a
// missing value.
func nullText(s string) string {
	if s = strings.TrimSpace(s); strings.EqualFold(s, "null") {
		return ""
	}
	return s
}
