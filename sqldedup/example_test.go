package sqldedup_test

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"time"

	"github.com/go-smsgw24/smsgw24"
	"github.com/go-smsgw24/smsgw24/sqldedup"
)

// Every replica mounts a Handler with a Deduplicator on the same
// PostgreSQL database (here through pgx's database/sql driver, imported as
// _ "github.com/jackc/pgx/v5/stdlib"). Each replica may create the table
// at start. The callback is stopped (Timeout) before its claim's lease
// runs out.
func Example() {
	db, err := sql.Open("pgx", "postgres://app@db/app")
	if err != nil {
		log.Fatal(err)
	}
	d := &sqldedup.Deduplicator{DB: db, Lease: time.Minute, Retention: 72 * time.Hour}
	if err := d.CreateTable(context.Background()); err != nil {
		log.Fatal(err)
	}
	http.Handle("/smsgw24", &smsgw24.Handler{
		OnText:       func(ctx context.Context, m *smsgw24.TextMessage) error { return nil },
		Timeout:      30 * time.Second,
		Deduplicator: d,
	})
}
