package inbox_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/inbox"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The inbox on a SQLite file behind the Handler: the gateway gets its 200
// once the event is stored, and the callback gets the event afterwards,
// again after a failure.
func Example() {
	dir, err := os.MkdirTemp("", "inbox-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ctx, stop := context.WithCancel(context.Background())
	delivered := make(chan string)
	ib, err := inbox.Open(ctx, "sqlite:"+filepath.Join(dir, "inbox.db"), inbox.Handlers{
		OnText: func(ctx context.Context, m *smsgw24.TextMessage) error {
			delivered <- m.Body // save it in the application's database
			return nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer ib.Close()
	done := make(chan error)
	go func() { done <- ib.Run(ctx) }()

	handler := &smsgw24.Handler{OnEvent: ib.Store} // and a Verifier
	_ = http.Handler(handler)

	// What the Handler does with a webhook that decodes:
	if err := ib.Store(ctx, &smsgw24.TextMessage{SMSID: 1, DeviceID: 7, Body: "hello"}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(<-delivered)
	stop()
	if err := <-done; err != nil {
		log.Fatal(err)
	}
	// Output: hello
}

// A callback whose data lives in the PostgreSQL of the inbox writes it and
// completes the delivery in one transaction: both commit or neither does,
// so the message is saved exactly once even if the process dies at any
// point.
func ExampleCompleteTx() {
	ctx := context.Background()
	url := os.Getenv("DATABASE_URL") // the inbox's and the application's database
	db, err := pgxpool.New(ctx, url)
	if err != nil {
		log.Fatal(err)
	}
	saveText := func(ctx context.Context, m *smsgw24.TextMessage) error {
		return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO texts (sms_id, sender, body) VALUES ($1, $2, $3)",
				m.SMSID, m.Address, m.Body); err != nil {
				return err
			}
			return inbox.CompleteTx(ctx, tx)
		})
	}
	ib, err := inbox.Open(ctx, url, inbox.Handlers{OnText: saveText})
	if err != nil {
		log.Fatal(err)
	}
	defer ib.Close()
	_ = ib.Run(ctx)
}
