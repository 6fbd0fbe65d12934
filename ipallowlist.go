// ipallowlist.go holds IPAllowlist, the verifier of a request's client
// address, with X-Forwarded-For read only behind trusted proxies, and
// ParsePrefixes.

package smsgw24

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// IPAllowlist is a [Verifier] that accepts a request only when its client
// address lies in one of the Allow prefixes.
//
// The client address is taken from r.RemoteAddr. Only when RemoteAddr lies in
// one of TrustedProxies is the X-Forwarded-For header consulted: its entries
// (all X-Forwarded-For headers, in order) are walked from right to left,
// skipping addresses in TrustedProxies, and the first other address is the
// client. When every entry is a trusted proxy the leftmost one is the client;
// when there is no entry the client is RemoteAddr itself. Entries may carry a
// port ("192.0.2.1:8080", "[2001:db8::1]:8080"). A header with any entry that
// is not an IP address is rejected. IPv4-mapped IPv6 addresses are compared
// as IPv4, and zones are ignored.
//
// The zero value allows nothing and rejects every request with
// [ErrNotConfigured]. Use [ParsePrefixes] to build the prefix lists from text.
// An *IPAllowlist is a [RequestVerifier].
type IPAllowlist struct {
	// Allow lists the client addresses that are accepted.
	Allow []netip.Prefix
	// TrustedProxies lists the reverse proxies whose X-Forwarded-For
	// header is believed. Leave it empty when nothing stands between the
	// gateway and the server.
	TrustedProxies []netip.Prefix
}

// ParsePrefixes parses IP addresses ("203.0.113.7", "2001:db8::1") and CIDR
// prefixes ("198.51.100.0/24") into prefixes for [IPAllowlist]; a single address
// becomes a prefix holding just that address. Surrounding spaces are ignored.
// IPv4-mapped IPv6 addresses and prefixes are turned into IPv4 ones.
func ParsePrefixes(addrs ...string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(addrs))
	for _, s := range addrs {
		s = strings.TrimSpace(s)
		var p netip.Prefix
		if strings.Contains(s, "/") {
			var err error
			if p, err = netip.ParsePrefix(s); err != nil {
				return nil, fmt.Errorf("smsgw24: invalid CIDR prefix %q", s)
			}
		} else {
			a, err := netip.ParseAddr(s)
			if err != nil || a.Zone() != "" {
				return nil, fmt.Errorf("smsgw24: invalid IP address %q", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if a := p.Addr(); a.Is4In6() {
			if p.Bits() < 96 {
				return nil, fmt.Errorf("smsgw24: IPv4-mapped prefix %q is shorter than /96", s)
			}
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// Verify implements [Verifier]; the body is not used. It returns
// [ErrIPNotAllowed], possibly wrapped with the reason, when the client is not
// allowed or cannot be determined.
func (l *IPAllowlist) Verify(r *http.Request, _ []byte) error {
	return l.VerifyRequest(r)
}

func (l *IPAllowlist) checkConfig() error {
	if l == nil || len(l.Allow) == 0 {
		return fmt.Errorf("%w: IPAllowlist allows no address", ErrNotConfigured)
	}
	return nil
}

// VerifyRequest implements [RequestVerifier], as Verify.
func (l *IPAllowlist) VerifyRequest(r *http.Request) error {
	if l == nil || len(l.Allow) == 0 {
		return ErrNotConfigured
	}
	client, err := l.ClientAddr(r)
	if err != nil {
		return err
	}
	if !containsAddr(l.Allow, client) {
		return fmt.Errorf("%w: %s", ErrIPNotAllowed, client)
	}
	return nil
}

// ClientAddr returns the client address of r as Verify determines it. The
// error wraps [ErrIPNotAllowed].
func (l *IPAllowlist) ClientAddr(r *http.Request) (netip.Addr, error) {
	remote, ok := parseHostAddr(r.RemoteAddr)
	if !ok {
		return netip.Addr{}, fmt.Errorf("%w: malformed remote address", ErrIPNotAllowed)
	}
	if !containsAddr(l.TrustedProxies, remote) {
		return remote, nil
	}
	var hops []netip.Addr
	for _, h := range r.Header.Values("X-Forwarded-For") {
		for entry := range strings.SplitSeq(h, ",") {
			a, ok := parseHostAddr(strings.Trim(entry, " \t"))
			if !ok {
				return netip.Addr{}, fmt.Errorf("%w: malformed X-Forwarded-For", ErrIPNotAllowed)
			}
			hops = append(hops, a)
		}
	}
	if len(hops) == 0 {
		return remote, nil
	}
	for i := len(hops) - 1; i >= 0; i-- {
		if !containsAddr(l.TrustedProxies, hops[i]) {
			return hops[i], nil
		}
	}
	return hops[0], nil
}

// parseHostAddr parses an IP address with or without a port, dropping any zone
// and unmapping IPv4-mapped IPv6 addresses.
func parseHostAddr(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.WithZone("").Unmap(), true
}

func containsAddr(prefixes []netip.Prefix, a netip.Addr) bool {
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
