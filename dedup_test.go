package smsgw24_test

import (
	"testing"
	"time"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/smsgw24test"
	"github.com/stretchr/testify/assert"
)

// TestMemoryDeduplicatorContract runs the suite every Deduplicator passes;
// the replicas of one process share one MemoryDeduplicator.
func TestMemoryDeduplicatorContract(t *testing.T) {
	smsgw24test.TestDeduplicator(t, func(t *testing.T, lease, retention time.Duration) func() smsgw24.Deduplicator {
		m := &smsgw24.MemoryDeduplicator{Lease: lease, Retention: retention}
		return func() smsgw24.Deduplicator { return m }
	})
}

func TestClaimString(t *testing.T) {
	for c, want := range map[smsgw24.Claim]string{
		smsgw24.ClaimNew: "new", smsgw24.ClaimDone: "done", smsgw24.ClaimBusy: "busy", smsgw24.Claim(9): "claim(9)",
	} {
		assert.Equal(t, want, c.String())
	}
}
