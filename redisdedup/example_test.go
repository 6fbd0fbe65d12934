package redisdedup_test

import (
	"context"
	"net/http"
	"time"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/redisdedup"
	"github.com/redis/go-redis/v9"
)

// Every replica mounts a Handler with a Deduplicator on the same Redis:
// the copies of one event that reach different replicas run the callback
// once. The callback is stopped (Timeout) before its claim's lease runs
// out.
func Example() {
	rdb := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{"127.0.0.1:6379"}})
	defer rdb.Close()
	http.Handle("/smsgw24", &smsgw24.Handler{
		OnText:  func(ctx context.Context, m *smsgw24.TextMessage) error { return nil },
		Timeout: 30 * time.Second,
		Deduplicator: &redisdedup.Deduplicator{
			Client:    rdb,
			Lease:     time.Minute,
			Retention: 72 * time.Hour,
		},
	})
}
