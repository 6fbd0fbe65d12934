// scenario_test.go holds the fault and crash scenarios on real processes
// and real servers: replicas sharing a Deduplicator on Redis and on
// PostgreSQL, and the durable inbox on SQLite and on PostgreSQL. Each
// starts its own server, since it stops it; without the server's binaries
// it skips (fails under CI=true) naming the Debian package.

package fault

import (
	"path/filepath"
	"testing"

	"github.com/go-smsgw24/smsgw24/internal/realserver"
)

// dedupArgs: a lease short enough that a claim held by the killed replica
// is taken over within the run, and callbacks that take a moment, so that
// the kill finds some in flight.
var dedupArgs = []string{"-lease", "3s", "-callback-delay", "2ms"}

// TestDedupRedisReplicas: three receivers share a Deduplicator on Redis
// (its append-only file synced at every write, so that a restart keeps
// what it acknowledged); one is killed with SIGKILL, and Redis is killed
// and started again, mid-run.
func TestDedupRedisReplicas(t *testing.T) {
	srv, err := realserver.StartRedisWith("--appendonly", "yes", "--appendfsync", "always")
	if err != nil {
		realserver.Skip(t, "Redis", "redis-server", err)
	}
	t.Cleanup(srv.Remove)
	sc := scenario{receivers: 3, args: append([]string{"-dedup", srv.URL}, dedupArgs...), events: events(t, 1500), kill: 0, outage: srv}
	_, r := sc.run(t)
	report(t, "de-duplication on Redis, 3 replicas, one killed, Redis restarted", r)
}

// TestDedupPostgresReplicas: the same with sqldedup on PostgreSQL, which
// is stopped in its immediate mode (as a crash) and started again.
func TestDedupPostgresReplicas(t *testing.T) {
	srv, err := realserver.StartPostgres()
	if err != nil {
		realserver.Skip(t, "PostgreSQL", "postgresql", err)
	}
	t.Cleanup(srv.Remove)
	sc := scenario{receivers: 3, args: append([]string{"-dedup", srv.URL}, dedupArgs...), events: events(t, 1500), kill: 0, outage: srv}
	_, r := sc.run(t)
	report(t, "de-duplication on PostgreSQL, 3 replicas, one killed, PostgreSQL restarted", r)
}

// inboxArgs: callbacks that take a moment, so that the kill finds jobs
// in flight, and a DeliveryTimeout of 5 s, so that a delivery cut by the
// kill is redelivered after 10 s plus River's rescuer interval rather
// than after the inbox's default of minutes.
var inboxArgs = []string{"-callback-delay", "10ms", "-delivery-timeout", "5s"}

// TestInboxSQLiteKill: one receiver on a SQLite file is killed with
// SIGKILL while events and their copies arrive, and started again on the
// same file; the sender re-sends whatever did not get a 200.
func TestInboxSQLiteKill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inbox.db")
	sc := scenario{receivers: 1, args: append([]string{"-inbox", "sqlite:" + path}, inboxArgs...), events: events(t, 3000), kill: 0, restart: true, inbox: true}
	_, r := sc.run(t)
	report(t, "inbox on SQLite, the receiver killed and restarted", r)
}

// TestInboxPostgresKill: three receivers share an inbox on PostgreSQL;
// one is killed with SIGKILL, and the other two deliver what it held.
func TestInboxPostgresKill(t *testing.T) {
	srv, err := realserver.StartPostgres()
	if err != nil {
		realserver.Skip(t, "PostgreSQL", "postgresql", err)
	}
	t.Cleanup(srv.Remove)
	sc := scenario{receivers: 3, args: append([]string{"-inbox", srv.URL}, inboxArgs...), events: events(t, 3000), kill: 0, inbox: true}
	_, r := sc.run(t)
	report(t, "inbox on PostgreSQL, 3 replicas, one killed", r)
}

// TestInboxPostgresOutage: PostgreSQL is stopped mid-run under two
// receivers: no 200 while it is down, and everything the sender retried
// is delivered once it is back.
func TestInboxPostgresOutage(t *testing.T) {
	srv, err := realserver.StartPostgres()
	if err != nil {
		realserver.Skip(t, "PostgreSQL", "postgresql", err)
	}
	t.Cleanup(srv.Remove)
	sc := scenario{receivers: 2, args: append([]string{"-inbox", srv.URL}, inboxArgs...), events: events(t, 3000), kill: -1, outage: srv, inbox: true}
	_, r := sc.run(t)
	report(t, "inbox on PostgreSQL, 2 replicas, PostgreSQL stopped and started", r)
}
