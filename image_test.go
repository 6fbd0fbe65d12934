// image_test.go pins ImageFetcher's guards against a local TLS server: the
// scheme, the host allowlist (redirects included) and the size cap.

package smsgw24

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

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
