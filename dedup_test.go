package smsgw24_test

import (
	"testing"
	"time"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
)

// TestMemoryDeduplicatorContract runs the suite every Deduplicator passes;
// the replicas of one process share one MemoryDeduplicator.
func TestMemoryDeduplicatorContract(t *testing.T) {
	smsgw24test.TestDeduplicator(t, func(t *testing.T, lease, retention time.Duration) func() smsgw24.Deduplicator {
		m := &smsgw24.MemoryDeduplicator{Lease: lease, Retention: retention}
		return func() smsgw24.Deduplicator { return m }
	})
}
