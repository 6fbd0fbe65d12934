// image_test.go pins ImageFetcher's guards against a local TLS server: the
// scheme, the host allowlist (redirects included) and the size cap.

package smsgw24

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestImageFetcher(t *testing.T) {
	jpeg := []byte("\xff\xd8\xff\xe0 not really a jpeg")
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(jpeg)
	}))
	defer other.Close()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/img/1.jpg":
			w.Header().Set("Content-Type", "image/jpeg")
			_, _ = w.Write(jpeg)
		case "/big.jpg":
			_, _ = w.Write(make([]byte, 2048))
		case "/big-unknown-length.jpg":
			w.Header().Set("Transfer-Encoding", "chunked")
			for range 4 {
				_, _ = w.Write(make([]byte, 512))
				w.(http.Flusher).Flush()
			}
		case "/redirect-away":
			http.Redirect(w, r, other.URL+"/x.jpg", http.StatusFound)
		case "/redirect-home":
			http.Redirect(w, r, "/img/1.jpg", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "https://")
	f := &ImageFetcher{Client: srv.Client(), AllowedHosts: []string{host}, MaxBytes: 1024}
	ctx := context.Background()

	data, contentType, err := f.Fetch(ctx, srv.URL+"/img/1.jpg")
	require.NoError(t, err)
	assert.Equal(t, jpeg, data)
	assert.Equal(t, "image/jpeg", contentType)

	data, _, err = f.Fetch(ctx, srv.URL+"/redirect-home")
	require.NoError(t, err)
	assert.Equal(t, jpeg, data, "a redirect within the allowed hosts is followed")

	tests := []struct {
		url string
		err error
	}{
		{srv.URL + "/redirect-away", ErrImageURLNotAllowed},
		{other.URL + "/x.jpg", ErrImageURLNotAllowed},
		{"http://" + host + "/img/1.jpg", ErrImageURLNotAllowed},
		{"https://user:pw@" + host + "/img/1.jpg", ErrImageURLNotAllowed},
		{"file:///etc/passwd", ErrImageURLNotAllowed},
		{"https://169.254.169.254/latest/meta-data/", ErrImageURLNotAllowed},
		{"%%", ErrImageURLNotAllowed},
		{srv.URL + "/big.jpg", ErrImageTooLarge},
		{srv.URL + "/big-unknown-length.jpg", ErrImageTooLarge},
	}
	for _, tt := range tests {
		_, _, err := f.Fetch(ctx, tt.url)
		assert.ErrorIs(t, err, tt.err, tt.url)
	}
	_, _, err = f.Fetch(ctx, srv.URL+"/missing.jpg")
	assert.ErrorContains(t, err, "404")
}

func TestImageFetcherDefaults(t *testing.T) {
	var f ImageFetcher
	u, err := url.Parse("https://smsgateway24.s3.eu-central-1.amazonaws.com/img/1.jpg")
	require.NoError(t, err)
	assert.NoError(t, f.allowed(u), "the gateway's bucket is allowed by default")
	u, err = url.Parse("https://smsgateway24.s3.eu-central-1.amazonaws.com.evil.example/img/1.jpg")
	require.NoError(t, err)
	assert.ErrorIs(t, f.allowed(u), ErrImageURLNotAllowed)
}

// TestDefaultImageHostsIsACopy: what DefaultImageHosts returns belongs to
// the caller; changing it widens no fetcher's guard.
func TestDefaultImageHostsIsACopy(t *testing.T) {
	assert.Equal(t, []string{"smsgateway24.s3.eu-central-1.amazonaws.com"}, DefaultImageHosts())
	hosts := DefaultImageHosts()
	hosts[0] = "evil.example"
	assert.Equal(t, []string{"smsgateway24.s3.eu-central-1.amazonaws.com"}, DefaultImageHosts())

	var f ImageFetcher
	_, _, err := f.Fetch(context.Background(), "https://evil.example/img/1.jpg")
	assert.ErrorIs(t, err, ErrImageURLNotAllowed)
	u, err := url.Parse("https://smsgateway24.s3.eu-central-1.amazonaws.com/img/1.jpg")
	require.NoError(t, err)
	assert.NoError(t, f.allowed(u))

	// The way to allow more hosts.
	f.AllowedHosts = append(DefaultImageHosts(), "images.example.com")
	u, err = url.Parse("https://images.example.com/img/1.jpg")
	require.NoError(t, err)
	assert.NoError(t, f.allowed(u))
	assert.Equal(t, []string{"smsgateway24.s3.eu-central-1.amazonaws.com"}, DefaultImageHosts())
}

func TestImageFetcherWithoutCap(t *testing.T) {
	jpeg := []byte("\xff\xd8\xff\xe0 an image read without a cap")
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked.jpg" {
			w.Header().Set("Transfer-Encoding", "chunked")
		}
		_, _ = w.Write(jpeg)
	}))
	defer srv.Close()
	f := &ImageFetcher{Client: srv.Client(), AllowedHosts: []string{strings.TrimPrefix(srv.URL, "https://")}, MaxBytes: math.MaxInt64}
	for _, path := range []string{"/img.jpg", "/chunked.jpg"} {
		data, _, err := f.Fetch(context.Background(), srv.URL+path)
		require.NoError(t, err, path)
		assert.Equal(t, jpeg, data, path)
	}
}

// TestImageFetcherErrorsHideTheQuery: a pre-signed URL carries its
// credentials in the query; no error of Fetch repeats them, whatever
// failed, and each keeps its class.
func TestImageFetcherErrorsHideTheQuery(t *testing.T) {
	const signed = "?X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=5ecre7519&token=s3cret#frag5ecre7"
	secrets := []string{"AKIAEXAMPLE", "5ecre7519", "s3cret", "frag5ecre7"}
	other := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer other.Close()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirect-away":
			http.Redirect(w, r, other.URL+"/x.jpg"+signed, http.StatusFound)
		case "/big.jpg":
			_, _ = w.Write(make([]byte, 2048))
		case "/slow.jpg":
			// Never an answer: once the client gives up, the connection
			// is cut rather than answered with an empty 200.
			<-r.Context().Done()
			panic(http.ErrAbortHandler)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "https://")
	closed := httptest.NewTLSServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	f := &ImageFetcher{Client: srv.Client(), AllowedHosts: []string{host, strings.TrimPrefix(closedURL, "https://")}, MaxBytes: 1024}

	tests := []struct {
		name, url string
		class     error // nil: only the query is checked
		timeout   bool
	}{
		{"not found", srv.URL + "/missing.jpg" + signed, nil, false},
		{"too large", srv.URL + "/big.jpg" + signed, ErrImageTooLarge, false},
		{"redirect away", srv.URL + "/redirect-away" + signed, ErrImageURLNotAllowed, false},
		{"host not allowed", other.URL + "/x.jpg" + signed, ErrImageURLNotAllowed, false},
		{"plain HTTP", "http://" + host + "/x.jpg" + signed, ErrImageURLNotAllowed, false},
		{"user information", "https://AKIAEXAMPLE:5ecre7519@" + host + "/x.jpg" + signed, ErrImageURLNotAllowed, false},
		{"URL that does not parse", "https://bad host/x.jpg" + signed, ErrImageURLNotAllowed, false},
		{"connection refused", closedURL + "/x.jpg" + signed, nil, false},
		{"timeout", srv.URL + "/slow.jpg" + signed, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.timeout {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, 50*time.Millisecond)
				defer cancel()
			}
			_, _, err := f.Fetch(ctx, tt.url)
			require.Error(t, err)
			if tt.class != nil {
				assert.ErrorIs(t, err, tt.class)
			}
			for _, s := range secrets {
				assert.NotContains(t, err.Error(), s)
			}
		})
	}
}
