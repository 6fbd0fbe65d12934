// image.go holds ImageFetcher, which downloads the image of an
// ImageMessage with the guards that a URL from the network needs: HTTPS,
// hosts on an allowlist (redirects included), a size cap and a timeout.

package smsgw24

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// gatewayImageHosts are the hosts the gateway stores images on. The guard
// reads this array, which no other package can reach or change.
var gatewayImageHosts = [...]string{"smsgateway24.s3.eu-central-1.amazonaws.com"}

// DefaultImageHosts returns the hosts the gateway stores images on, which
// an [ImageFetcher] allows when its AllowedHosts is nil. Each call returns a
// new slice: changing it changes no fetcher. To allow more hosts, set
// [ImageFetcher.AllowedHosts], for instance to
// append(smsgw24.DefaultImageHosts(), "images.example.com").
func DefaultImageHosts() []string {
	return append([]string(nil), gatewayImageHosts[:]...)
}

// Defaults of [ImageFetcher].
const (
	DefaultImageMaxBytes = 10 << 20 // 10 MiB
	DefaultImageTimeout  = 30 * time.Second
)

// Errors of [ImageFetcher.Fetch].
var (
	// ErrImageURLNotAllowed: the URL, or a redirect, is not HTTPS or names a
	// host that is not allowed.
	ErrImageURLNotAllowed = errors.New("smsgw24: image URL not allowed")
	// ErrImageTooLarge: the image is longer than [ImageFetcher.MaxBytes].
	ErrImageTooLarge = errors.New("smsgw24: image too large")
)

// ImageFetcher downloads images that [ImageMessage.ImageURL] points at. Since
// that URL came over the network, it fetches only HTTPS URLs on the hosts
// it allows, follows redirects only to those, and reads at most MaxBytes.
// Its zero value is ready to use, with the defaults below.
type ImageFetcher struct {
	// Client makes the requests; nil means a client with
	// [DefaultImageTimeout]. Its CheckRedirect is replaced by the allowlist.
	Client *http.Client
	// AllowedHosts are the hosts (host or host:port, as in a URL) that
	// images may come from; nil means those of [DefaultImageHosts].
	AllowedHosts []string
	// MaxBytes caps an image; 0 means [DefaultImageMaxBytes], and
	// [math.MaxInt64] means no cap.
	MaxBytes int64
}

// Fetch downloads the image at imageURL and returns its bytes and
// Content-Type. The errors wrap [ErrImageURLNotAllowed] or [ErrImageTooLarge]
// where those are the cause. They name the URL without its query, its
// fragment or user information: a pre-signed URL holds its credentials in
// the query.
func (f *ImageFetcher) Fetch(ctx context.Context, imageURL string) (data []byte, contentType string, err error) {
	u, err := url.Parse(imageURL)
	if err != nil {
		// url.Parse's error quotes the whole URL; keep only its reason.
		return nil, "", fmt.Errorf("%w: %v", ErrImageURLNotAllowed, unwrapURLError(err))
	}
	if err := f.allowed(u); err != nil {
		return nil, "", err
	}
	client := http.Client{Timeout: DefaultImageTimeout}
	if f.Client != nil {
		client = *f.Client
	}
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("smsgw24: too many redirects")
		}
		return f.allowed(req.URL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", fmt.Errorf("smsgw24: fetching image %s: %w", withoutQuery(u), unwrapURLError(err))
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			// The URL that failed, a redirect's maybe, without its query.
			if failed, perr := url.Parse(ue.URL); perr == nil {
				ue.URL = withoutQuery(failed)
			} else {
				ue.URL = withoutQuery(u)
			}
		}
		return nil, "", fmt.Errorf("smsgw24: fetching image: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("smsgw24: fetching image %s: %s", withoutQuery(resp.Request.URL), resp.Status)
	}
	limit := f.MaxBytes
	if limit <= 0 {
		limit = DefaultImageMaxBytes
	}
	if resp.ContentLength > limit {
		return nil, "", fmt.Errorf("%w: %d bytes, the limit is %d", ErrImageTooLarge, resp.ContentLength, limit)
	}
	// Read one byte past the cap to tell an image at it from one over it;
	// at math.MaxInt64 there is no byte past it.
	readLimit := limit
	if readLimit < math.MaxInt64 {
		readLimit++
	}
	data, err = io.ReadAll(io.LimitReader(resp.Body, readLimit))
	if err != nil {
		return nil, "", fmt.Errorf("smsgw24: fetching image %s: %w", withoutQuery(resp.Request.URL), unwrapURLError(err))
	}
	if int64(len(data)) > limit {
		return nil, "", fmt.Errorf("%w: more than %d bytes", ErrImageTooLarge, limit)
	}
	return data, resp.Header.Get("Content-Type"), nil
}

// withoutQuery returns u as text without its query, fragment and user
// information, to name it in an error.
func withoutQuery(u *url.URL) string {
	c := *u
	c.User, c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = nil, "", false, "", ""
	return c.String()
}

// unwrapURLError returns the reason of a *url.Error, which quotes a URL,
// and any other error as it is.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// allowed checks a URL against the scheme and the allowlist. Its error
// names the host, never the URL's path or query.
func (f *ImageFetcher) allowed(u *url.URL) error {
	if u.Scheme != "https" {
		return fmt.Errorf("%w: scheme %q, want https", ErrImageURLNotAllowed, u.Scheme)
	}
	if u.User != nil {
		return fmt.Errorf("%w: URL carries user information", ErrImageURLNotAllowed)
	}
	hosts := f.AllowedHosts
	if hosts == nil {
		hosts = gatewayImageHosts[:]
	}
	for _, h := range hosts {
		if strings.EqualFold(u.Host, h) {
			return nil
		}
	}
	return fmt.Errorf("%w: host %q", ErrImageURLNotAllowed, u.Host)
}
