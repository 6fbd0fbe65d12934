package redisdedup_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/internal/realserver"
	"github.com/go-smsgw24/smsgw24/redisdedup"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) { realserver.Main(m) }

// run names this run's keys, so that runs on one server (SMSGW24_REDIS_ADDR)
// never meet.
var (
	run    = fmt.Sprintf("%d.%d", os.Getpid(), time.Now().UnixNano())
	stores atomic.Int64
)

// open makes the stores of the contract suite on the real Redis at addrs,
// in the form opts gives: each store is a prefix of its own, each replica
// a client of its own.
func open(opts redis.UniversalOptions) smsgw24test.OpenDedup {
	return func(t *testing.T, lease, retention time.Duration) func() smsgw24.Deduplicator {
		prefix := fmt.Sprintf("smsgw24test:%s:%d:", run, stores.Add(1))
		return func() smsgw24.Deduplicator {
			o := opts
			rdb := redis.NewUniversalClient(&o)
			t.Cleanup(func() { _ = rdb.Close() })
			return &redisdedup.Deduplicator{Client: rdb, Prefix: prefix, Lease: lease, Retention: retention}
		}
	}
}

func TestContractSingleServer(t *testing.T) {
	addr := realserver.RedisAddr(t)
	smsgw24test.TestDeduplicator(t, open(redis.UniversalOptions{Addrs: []string{addr}}))
}

// TestKeys pins what is kept in Redis: one key per event under the
// prefix, holding a token while claimed and expiring after the lease, then
// a done mark expiring after the retention.
func TestKeys(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: realserver.RedisAddr(t)})
	defer rdb.Close()
	ctx := context.Background()
	prefix := fmt.Sprintf("keys-test:%s:%d:", run, stores.Add(1))
	d := &redisdedup.Deduplicator{Client: rdb, Prefix: prefix, Lease: time.Minute, Retention: 2 * time.Hour}

	c, lease, err := d.Claim(ctx, "status:42:7")
	require.NoError(t, err)
	require.Equal(t, smsgw24.ClaimNew, c)
	v, err := rdb.Get(ctx, prefix+"status:42:7").Result()
	require.NoError(t, err)
	assert.Equal(t, string(lease), v)
	assert.Len(t, v, 32, "a random token of 16 bytes, in hex")
	ttl, err := rdb.PTTL(ctx, prefix+"status:42:7").Result()
	require.NoError(t, err)
	assert.True(t, ttl > 0 && ttl <= time.Minute, "expires after the lease: %v", ttl)

	require.NoError(t, d.Commit(ctx, "status:42:7", lease))
	v, err = rdb.Get(ctx, prefix+"status:42:7").Result()
	require.NoError(t, err)
	assert.Equal(t, "done", v)
	ttl, err = rdb.PTTL(ctx, prefix+"status:42:7").Result()
	require.NoError(t, err)
	assert.True(t, ttl > time.Minute && ttl <= 2*time.Hour, "expires after the retention: %v", ttl)

	keys, err := rdb.Keys(ctx, prefix+"*").Result()
	require.NoError(t, err)
	assert.Equal(t, []string{prefix + "status:42:7"}, keys)
}

func TestDefaults(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: realserver.RedisAddr(t)})
	defer rdb.Close()
	ctx := context.Background()
	d := &redisdedup.Deduplicator{Client: rdb}
	key := fmt.Sprintf("defaults:%s:%d", run, stores.Add(1))
	c, lease, err := d.Claim(ctx, key)
	require.NoError(t, err)
	require.Equal(t, smsgw24.ClaimNew, c)
	ttl, err := rdb.PTTL(ctx, redisdedup.DefaultPrefix+key).Result()
	require.NoError(t, err)
	assert.True(t, ttl > smsgw24.DefaultDedupLease-time.Minute && ttl <= smsgw24.DefaultDedupLease, "the default lease: %v", ttl)
	require.NoError(t, d.Commit(ctx, key, lease))
	ttl, err = rdb.PTTL(ctx, redisdedup.DefaultPrefix+key).Result()
	require.NoError(t, err)
	assert.True(t, ttl > smsgw24.DefaultDedupRetention-time.Hour && ttl <= smsgw24.DefaultDedupRetention, "the default retention: %v", ttl)
}

func TestNoClient(t *testing.T) {
	var d redisdedup.Deduplicator
	_, _, err := d.Claim(context.Background(), "x")
	assert.ErrorIs(t, err, redisdedup.ErrNoClient)
	assert.ErrorIs(t, d.Commit(context.Background(), "x", "t"), redisdedup.ErrNoClient)
	assert.ErrorIs(t, d.Release(context.Background(), "x", "t"), redisdedup.ErrNoClient)
}

// TestServerDown: a claim while Redis is down fails promptly with an
// error, and the Handler answers 503 without running the callback.
func TestServerDown(t *testing.T) {
	s, err := realserver.StartRedis()
	if err != nil {
		realserver.Skip(t, "Redis", "redis-server", err)
	}
	defer s.Remove()
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1, DialTimeout: time.Second})
	defer rdb.Close()
	var calls atomic.Int32
	h := &smsgw24.Handler{
		OnText:       func(context.Context, *smsgw24.TextMessage) error { calls.Add(1); return nil },
		Deduplicator: &redisdedup.Deduplicator{Client: rdb},
		Logger:       slog.New(slog.DiscardHandler),
	}
	rec := smsgw24test.NewRecorder(h)
	ev := &smsgw24.TextMessage{SMSID: 1, DeviceID: 2, Address: "+491511", Body: "hi"}
	require.NoError(t, s.Stop())
	assert.Equal(t, 503, rec.Serve(smsgw24test.NewRequest(ev, smsgw24test.RequestOptions{})).Code)
	assert.Zero(t, calls.Load())
	require.NoError(t, s.Start())
	assert.Equal(t, 200, rec.Serve(smsgw24test.NewRequest(ev, smsgw24test.RequestOptions{})).Code)
	assert.Equal(t, int32(1), calls.Load())
}

// startCluster starts a Redis cluster of three primaries on loopback, each
// with a third of the hash slots, and returns their addresses.
func startCluster(t *testing.T) []string {
	ctx := context.Background()
	var nodes []*realserver.Server
	t.Cleanup(func() {
		for _, n := range nodes {
			n.Remove()
		}
	})
	for range 3 {
		n, err := realserver.StartRedisWith("--cluster-enabled", "yes")
		if err != nil {
			realserver.Skip(t, "Redis", "redis-server", err)
		}
		nodes = append(nodes, n)
	}
	addrs := make([]string, len(nodes))
	for i, n := range nodes {
		addrs[i] = n.Addr
		c := redis.NewClient(&redis.Options{Addr: n.Addr})
		lo, hi := i*16384/len(nodes), (i+1)*16384/len(nodes)-1
		require.NoError(t, c.ClusterAddSlotsRange(ctx, lo, hi).Err())
		if i > 0 {
			host, port, _ := strings.Cut(n.Addr, ":")
			first := redis.NewClient(&redis.Options{Addr: nodes[0].Addr})
			require.NoError(t, first.ClusterMeet(ctx, host, port).Err())
			_ = first.Close()
		}
		_ = c.Close()
	}
	for _, a := range addrs {
		c := redis.NewClient(&redis.Options{Addr: a})
		require.Eventually(t, func() bool {
			info, err := c.ClusterInfo(ctx).Result()
			return err == nil && strings.Contains(info, "cluster_state:ok") && strings.Contains(info, "cluster_known_nodes:3")
		}, time.Minute, 20*time.Millisecond, "the cluster never became ready")
		_ = c.Close()
	}
	return addrs
}

// TestContractCluster: the Deduplicator works on a cluster, whose events'
// keys spread over three primaries.
func TestContractCluster(t *testing.T) {
	addrs := startCluster(t)
	smsgw24test.TestDeduplicator(t, open(redis.UniversalOptions{Addrs: addrs}))

	// One key per event: the events' keys spread over the primaries.
	ctx := context.Background()
	rdb := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
	defer rdb.Close()
	prefix := fmt.Sprintf("spread:%s:%d:", run, stores.Add(1))
	d := &redisdedup.Deduplicator{Client: rdb, Prefix: prefix}
	for i := range 30 {
		c, _, err := d.Claim(ctx, fmt.Sprintf("text:1:%d", i))
		require.NoError(t, err)
		require.Equal(t, smsgw24.ClaimNew, c)
	}
	var mu sync.Mutex
	holding := 0
	require.NoError(t, rdb.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
		keys, err := node.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			mu.Lock()
			holding++
			mu.Unlock()
		}
		return err
	}))
	assert.Equal(t, 3, holding, "primaries holding some of 30 events' keys")
}

// TestContractSentinel: the Deduplicator works through a sentinel that
// names the primary.
func TestContractSentinel(t *testing.T) {
	primary, err := realserver.StartRedis()
	if err != nil {
		realserver.Skip(t, "Redis", "redis-server", err)
	}
	defer primary.Remove()
	sentinel, err := realserver.StartRedisSentinel(primary, "smsgw24")
	if err != nil {
		realserver.Skip(t, "Redis Sentinel", "redis-server", err)
	}
	defer sentinel.Remove()
	opts := redis.UniversalOptions{Addrs: []string{sentinel.Addr}, MasterName: "smsgw24"}
	rdb := redis.NewUniversalClient(&opts)
	defer rdb.Close()
	_, isFailover := rdb.(*redis.Client)
	require.True(t, isFailover, "MasterName makes a failover client, %T", rdb)
	require.NoError(t, rdb.Ping(context.Background()).Err())
	smsgw24test.TestDeduplicator(t, open(opts))
}
