// backends_inbox.go opens the durable inbox of -inbox: the Handler stores
// every event in it, and its Run delivers them to the callback.

package main

import (
	"context"
	"fmt"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/inbox"
)

// openInbox opens the inbox at c.inbox; deliver is its one callback.
func (b *backend) openInbox(ctx context.Context, c config, deliver func(context.Context, smsgw24.Event) error) error {
	ib, err := inbox.Open(ctx, c.inbox, inbox.Handlers{OnEvent: deliver, DeliveryTimeout: c.deliveryTimeout})
	if err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	b.closers = append(b.closers, ib.Close)
	b.onEvent = ib.Store
	b.run = ib.Run
	return nil
}
