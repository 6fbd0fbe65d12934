// Package inbox is a durable inbox for SMSGateway24 webhooks: it stores
// every event the [smsgw24.Handler] accepts before the gateway gets its 200,
// and delivers it to the application afterwards, with retries, backoff and
// dead letters, so that an event is never lost because the application's
// own database was down when it arrived.
//
// It runs on River (github.com/riverqueue/river). [Open] picks the engine
// from its dsn: "sqlite:PATH" keeps the inbox in a SQLite file on one
// machine (modernc.org/sqlite, pure Go, no cgo); a "postgres://" URL keeps
// it in PostgreSQL, where several replicas share one inbox. The worker code
// is the same for both.
//
// Mounting:
//
//	ib, err := inbox.Open(ctx, "sqlite:/var/lib/receiver/inbox.db", inbox.Handlers{
//		OnText: saveText,
//	})
//	...
//	go ib.Run(ctx)
//	http.Handle("/sms", &smsgw24.Handler{OnEvent: ib.Store, Verifier: v})
//
// # Acknowledged means stored
//
// [Inbox.Store] returns nil only once the event is committed: on SQLite
// the file is in WAL mode with synchronous=FULL, so a committed event
// survives the process being killed and the machine losing power; on
// PostgreSQL the commit is PostgreSQL's own. So the Handler answers 200
// only for a stored event, and 5xx otherwise (the gateway may then send it
// again). Store is bounded by [Handlers.StoreTimeout]: while the database
// is down it fails promptly instead of holding the request. Concurrent
// Stores are committed together, in one transaction, so that a burst of
// events costs a few commits rather than one each.
//
// # Duplicates
//
// Events are the same when their [smsgw24.EventKey] is. Storing an event
// whose key is already in the inbox (waiting, being delivered, delivered,
// or a dead letter) stores nothing and returns nil. In particular, when the
// gateway sends again an event that is a dead letter, it stays one, and is
// delivered again only when it is replayed with [Inbox.Replay]: a copy
// never overtakes the operator's decision. Delivered events are remembered
// for [CompletedRetention] (24 hours, the same window as
// [smsgw24.DefaultDedupTTL]); a copy that arrives later is delivered again.
// Dead letters are kept until they are replayed.
//
// # At least once
//
// Delivery is at least once: a callback may see an event again when its
// process died after the callback returned but before the inbox recorded
// it, or when a delivery outlived its time (see below). Callbacks should
// therefore be idempotent (for example an INSERT ... ON CONFLICT DO NOTHING
// on the sms_id). A callback whose data lives in the same PostgreSQL as the
// inbox can have exactly-once effects instead: it marks the delivery done
// with [CompleteTx] in its own transaction, so that its writes and the
// delivery's completion commit together or not at all (see the example of
// [CompleteTx]).
//
// # Retries and dead letters
//
// A callback that returns an error (or panics) is retried after
// [Handlers.Backoff]; the default is exponential with jitter, from about
// one second to at most an hour, so that [DefaultMaxAttempts] attempts
// span about eight hours. After [Handlers.MaxAttempts] attempts the event
// is a dead letter: [Inbox.DeadLetters] lists it with its attempts and
// last error, and [Inbox.Replay] gives it another attempt. The command
// smsgw24-inbox (in cmd/smsgw24-inbox, also run by "smsgw24 inbox") does
// both from the command line.
//
// # Recovery
//
// A delivery's context is cancelled after [Handlers.DeliveryTimeout]
// (default one minute). An event that was being delivered by a process
// that was killed is delivered again once it has been running for twice
// that time: within 2×DeliveryTimeout plus about 50 seconds (a dead
// leader is replaced within 15 seconds; River's rescuer runs every 30
// seconds on the leader, and counts the lost delivery as a failed attempt,
// retried after Backoff(attempt) and River's scheduler's 5 seconds), so
// under three minutes with the defaults, by the restarted process (SQLite)
// or by the other replicas (PostgreSQL). The killed delivery uses up one
// of the event's MaxAttempts. The cost to a long callback: one that ignores its
// cancelled context and is still running after 2×DeliveryTimeout may be
// delivered a second time while it runs. Set DeliveryTimeout above the
// longest time a callback needs.
//
// While the database is down, Store fails promptly and [Inbox.Run] keeps
// going; delivery resumes when the database is back.
//
// # Several processes
//
// Open creates or migrates River's tables under a lock (an advisory lock
// on PostgreSQL, a write transaction on SQLite), so that several processes
// may open one fresh database at the same moment. On PostgreSQL the inbox
// uses its own River queue, [Queue], so it can share a database with an
// application's own River jobs.
package inbox
