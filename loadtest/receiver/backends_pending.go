// backends_pending.go: the shared backends are wired in once their modules land.

package main

import (
	"context"
	"errors"
	"time"

	"github.com/go-smsgw24/smsgw24"
)

func (b *backend) openRedis(ctx context.Context, dsn string, lease time.Duration) error {
	return errors.New("not built into this receiver yet")
}
func (b *backend) openSQL(ctx context.Context, driver, dsn string, lease time.Duration) error {
	return errors.New("not built into this receiver yet")
}
func (b *backend) openInbox(ctx context.Context, c config, deliver func(context.Context, smsgw24.Event) error) error {
	return errors.New("not built into this receiver yet")
}
