// backends_pending.go: the shared backends are wired in once their modules land.

package main

import (
	"context"
	"errors"
	"time"
)

func (b *backend) openRedis(ctx context.Context, dsn string, lease time.Duration) error {
	return errors.New("not built into this receiver yet")
}
func (b *backend) openSQL(ctx context.Context, driver, dsn string, lease time.Duration) error {
	return errors.New("not built into this receiver yet")
}
