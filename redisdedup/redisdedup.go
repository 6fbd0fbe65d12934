// Package redisdedup is a smsgw24.Deduplicator on Redis, for several
// replicas of a receiver that share one Redis: the copies of one event that
// the gateway sends to different replicas run the callback once.
//
//	rdb := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{"redis:6379"}})
//	h := &smsgw24.Handler{
//		OnText:       saveMessage,
//		Deduplicator: &redisdedup.Deduplicator{Client: rdb},
//	}
//
// Each event is one key, Prefix followed by smsgw24.EventKey. A claim sets
// it to a random token with SET NX PX, so that it expires after Lease if
// its holder dies; Commit replaces the token by a done mark kept for
// Retention, and Release deletes it, each in a Lua script that acts only
// while the key still holds the caller's token: a holder whose lease ran
// out changes nothing. As every script touches one key, the Deduplicator
// works with each form of redis.UniversalClient: a single server, a
// cluster, and a sentinel-watched primary.
package redisdedup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/go-smsgw24/smsgw24"
	"github.com/redis/go-redis/v9"
)

// DefaultPrefix is the key prefix of a Deduplicator whose Prefix is "".
const DefaultPrefix = "smsgw24:"

// doneMark is the value of a handled event's key. Tokens are hexadecimal,
// so no token equals it.
const doneMark = "done"

// Deduplicator is a smsgw24.Deduplicator on Redis. Set Client; the other
// fields have defaults. Every replica uses the same Prefix, and should use
// the same Lease and Retention. A Deduplicator is safe for concurrent use.
//
// Lease is how long a claim holds: a callback still running past it may be
// taken over by a copy of the event on another replica, so keep
// smsgw24.Handler.Timeout below it. A replica killed mid-callback holds the
// event for Lease; its copies are answered 409 until then.
//
// Retention is how long a handled event is remembered: a copy that comes
// later than that runs the callback again. It costs one small key per
// event for that time.
type Deduplicator struct {
	Client    redis.UniversalClient
	Prefix    string        // key prefix; "" means DefaultPrefix
	Lease     time.Duration // how long a claim holds without Commit or Release; 0 means smsgw24.DefaultDedupLease
	Retention time.Duration // how long a handled event is remembered; 0 means smsgw24.DefaultDedupRetention
}

var _ smsgw24.Deduplicator = (*Deduplicator)(nil)

// ErrNoClient is returned by a Deduplicator whose Client is nil.
var ErrNoClient = errors.New("redisdedup: Deduplicator.Client is nil")

// claimScript claims KEYS[1] for the token ARGV[1] for ARGV[2] ms if no
// one holds it, and says what it found: 0 claimed, 1 done, 2 busy.
var claimScript = redis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
if redis.call('GET', KEYS[1]) == ARGV[3] then return 1 end
return 2`)

// commitScript marks KEYS[1] done for ARGV[3] ms if it holds the token
// ARGV[1]: 1 done, 0 not held.
var commitScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`)

// releaseScript deletes KEYS[1] if it holds the token ARGV[1]: 1 deleted,
// 0 not held.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`)

func (d *Deduplicator) key(key string) string {
	if d.Prefix == "" {
		return DefaultPrefix + key
	}
	return d.Prefix + key
}

func millis(v, def time.Duration) int64 {
	if v <= 0 {
		v = def
	}
	return max(1, v.Milliseconds())
}

// Claim implements smsgw24.Deduplicator.
func (d *Deduplicator) Claim(ctx context.Context, key string) (smsgw24.Claim, smsgw24.Lease, error) {
	if d.Client == nil {
		return 0, "", ErrNoClient
	}
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails
	token := hex.EncodeToString(b[:])
	n, err := claimScript.Run(ctx, d.Client, []string{d.key(key)},
		token, millis(d.Lease, smsgw24.DefaultDedupLease), doneMark).Int()
	if err != nil {
		return 0, "", fmt.Errorf("redisdedup: claim %s: %w", key, err)
	}
	switch n {
	case 0:
		return smsgw24.ClaimNew, smsgw24.Lease(token), nil
	case 1:
		return smsgw24.ClaimDone, "", nil
	}
	return smsgw24.ClaimBusy, "", nil
}

// Commit implements smsgw24.Deduplicator.
func (d *Deduplicator) Commit(ctx context.Context, key string, lease smsgw24.Lease) error {
	if d.Client == nil {
		return ErrNoClient
	}
	n, err := commitScript.Run(ctx, d.Client, []string{d.key(key)},
		string(lease), doneMark, millis(d.Retention, smsgw24.DefaultDedupRetention)).Int()
	return result("commit", key, n, err)
}

// Release implements smsgw24.Deduplicator.
func (d *Deduplicator) Release(ctx context.Context, key string, lease smsgw24.Lease) error {
	if d.Client == nil {
		return ErrNoClient
	}
	n, err := releaseScript.Run(ctx, d.Client, []string{d.key(key)}, string(lease)).Int()
	return result("release", key, n, err)
}

func result(op, key string, n int, err error) error {
	switch {
	case err != nil:
		return fmt.Errorf("redisdedup: %s %s: %w", op, key, err)
	case n == 0:
		return fmt.Errorf("redisdedup: %s %s: %w", op, key, smsgw24.ErrLeaseExpired)
	}
	return nil
}
