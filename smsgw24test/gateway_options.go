// gateway_options.go holds what configures a Gateway: GatewayOptions, the
// default device and token, and WireStyle, the ways of writing a webhook
// that the real gateway is seen to use.

package smsgw24test

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/go-smsgw24/smsgw24"
)

// DefaultDeviceID is the id of the one phone of a [Gateway] without
// [GatewayOptions.Devices].
const DefaultDeviceID int64 = 1

// DefaultGatewayToken is the API token of a [Gateway] without
// [GatewayOptions.Token].
const DefaultGatewayToken = "test-token"

// WireStyle is how a [Gateway] writes the webhooks it posts: each style is one
// the real gateway is seen to send.
type WireStyle int

// The wire styles.
const (
	WireJSON         WireStyle = iota // JSON as the newer documents show it (channel_id)
	WireJSONLegacy                    // JSON as the older documents show it (sim, no type for texts)
	WireForm                          // a form, escaped correctly
	WireFormPlusLost                  // a form whose phone numbers' "+" is left unescaped, so that it reads as a space
)

var wireStyleNames = [...]string{"json", "json-legacy", "form", "form-plus-lost"}

// String returns "json", "json-legacy", "form" or "form-plus-lost".
func (w WireStyle) String() string {
	if w >= 0 && int(w) < len(wireStyleNames) {
		return wireStyleNames[w]
	}
	return fmt.Sprintf("WireStyle(%d)", int(w))
}

// ParseWireStyle reads a [WireStyle] from its [WireStyle.String].
func ParseWireStyle(s string) (WireStyle, error) {
	for i, name := range wireStyleNames {
		if strings.EqualFold(s, name) {
			return WireStyle(i), nil
		}
	}
	return 0, fmt.Errorf("smsgw24test: no wire style %q (want one of %s)", s, strings.Join(wireStyleNames[:], ", "))
}

// requestOptions are the options of Encode that write a webhook in w's style.
func (w WireStyle) requestOptions() RequestOptions {
	switch w {
	case WireJSONLegacy:
		return RequestOptions{Legacy: true}
	case WireForm:
		return RequestOptions{Form: true, EscapePlus: true}
	case WireFormPlusLost:
		return RequestOptions{Form: true}
	}
	return RequestOptions{}
}

// GatewayOptions configure a [Gateway]. The zero value gives a gateway with
// one phone ([DefaultDeviceID]), the token [DefaultGatewayToken], that
// posts no webhooks.
type GatewayOptions struct {
	// Token is the account's API token; a request with another gets the
	// API's error answer. "" means [DefaultGatewayToken].
	Token string
	// Email and Password are the account's login, for gettoken; with
	// either empty, gettoken refuses every login.
	Email, Password string

	// StatusURL receives the status updates of every message accepted by
	// addsms or addalotofsms, as the device's status webhook. "" means
	// none are posted (the messages still go through their statuses).
	StatusURL string
	// IncomingURL receives the incoming messages of [Gateway.InjectText]
	// and [Gateway.InjectImage], as the device's incoming webhook; "" means
	// none are posted.
	IncomingURL string

	// Devices are the account's phones; nil means one, [DefaultDeviceID],
	// online.
	Devices []smsgw24.Device

	// Wire is how the webhooks are written; the zero value is [WireJSON].
	Wire WireStyle
	// Final is the last status of every message:
	// [smsgw24.StatusDelivered] when 0, or a failure such as
	// [smsgw24.StatusNotDelivered]. A failure to send (9 to 12, 100, 101)
	// comes without [smsgw24.StatusSent] before it.
	Final smsgw24.Status
	// FinalFor sets the last status of the messages to one recipient (the
	// sendto of addsms), over Final.
	FinalFor map[string]smsgw24.Status
	// OutOfOrder posts each message's statuses last first, as a gateway
	// whose posts overtake each other would.
	OutOfOrder bool
	// Duplicates posts each webhook twice.
	Duplicates bool
	// Retries are the pauses before each new try of a webhook that got no
	// 2xx answer; nil means a webhook is tried once.
	Retries []time.Duration

	// Location is the account's zone, in which answers write their dates
	// as PHP DateTime objects. nil means +02:00, as in the vendor's
	// examples.
	Location *time.Location
	// HTTPClient posts the webhooks; nil means one with a 10 s timeout.
	HTTPClient *http.Client
	// OnDelivery, if set, is called after each try of a webhook, in the
	// order of the tries.
	OnDelivery func(Delivery)
	// Listener, if set, is where the gateway's server listens instead of
	// a free loopback port.
	Listener net.Listener
}
