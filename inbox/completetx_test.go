// completetx_test.go tests CompleteTx on real PostgreSQL: a callback's
// write and the end of its delivery commit together, or roll back
// together.

package inbox

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/go-smsgw24/smsgw24"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompleteTx(t *testing.T) {
	url := engines[1].dsn(t)
	db, err := pgxpool.New(t.Context(), url)
	require.NoError(t, err)
	t.Cleanup(db.Close)
	_, err = db.Exec(t.Context(), "CREATE TABLE texts (sms_id bigint PRIMARY KEY, body text)")
	require.NoError(t, err)

	var calls atomic.Int32
	errAfterWrite := errors.New("failed after the write")
	ib := open(t, url, quick(Handlers{OnText: func(ctx context.Context, m *smsgw24.TextMessage) error {
		n := calls.Add(1)
		return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO texts VALUES ($1, $2)", m.SMSID, m.Body); err != nil {
				return err
			}
			if err := CompleteTx(ctx, tx); err != nil {
				return err
			}
			if n == 1 {
				return errAfterWrite // rolls back the write and the completion
			}
			return nil
		})
	}}))
	require.NoError(t, ib.Store(t.Context(), &smsgw24.TextMessage{SMSID: 5, DeviceID: 7, Body: "once"}))
	run(t, ib)
	waitFor(t, "the delivery completed", func() bool {
		job, err := ib.engine.list(t.Context(), nil)
		require.NoError(t, err)
		return len(job.Jobs) == 1 && job.Jobs[0].State == "completed"
	})
	var n int
	require.NoError(t, db.QueryRow(t.Context(), "SELECT count(*) FROM texts").Scan(&n))
	assert.Equal(t, 1, n)
	assert.Equal(t, int32(2), calls.Load(), "the rolled back attempt is retried")

	assert.ErrorIs(t, CompleteTx(t.Context(), nil), ErrNotInDelivery)
}
