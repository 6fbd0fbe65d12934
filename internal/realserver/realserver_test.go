package realserver

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) { Main(m) }

func TestRedisStopAndStart(t *testing.T) {
	s, err := StartRedis()
	if err != nil {
		Skip(t, "Redis", "redis-server", err)
	}
	defer s.Remove()
	require.NoError(t, pingRedis(s.Addr))
	require.NoError(t, s.Stop())
	require.Error(t, pingRedis(s.Addr), "a stopped server must not answer")
	require.NoError(t, s.Start())
	require.NoError(t, pingRedis(s.Addr))
}

// TestRedisDurableKeepsDataAcrossStop: with an append-only file synced at
// every write, what Redis acknowledged survives Stop (SIGKILL) and Start.
func TestRedisDurableKeepsDataAcrossStop(t *testing.T) {
	s, err := StartRedisWith("--appendonly", "yes", "--appendfsync", "always")
	if err != nil {
		Skip(t, "Redis", "redis-server", err)
	}
	defer s.Remove()
	require.Equal(t, "+OK", redisCommand(t, s.Addr, "SET k v"))
	require.NoError(t, s.Stop())
	require.NoError(t, s.Start())
	require.Equal(t, "$1", redisCommand(t, s.Addr, "GET k"), "the value is gone after a restart")
}

// redisCommand sends one inline command and returns the first line of the
// answer.
func redisCommand(t *testing.T, addr, cmd string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, time.Second)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Write([]byte(cmd + "\r\n"))
	require.NoError(t, err)
	line, err := bufio.NewReader(c).ReadString('\n')
	require.NoError(t, err)
	return strings.TrimSpace(line)
}

func TestRedisAddrIsShared(t *testing.T) {
	a := RedisAddr(t)
	require.NoError(t, pingRedis(a))
	require.Equal(t, a, RedisAddr(t))
}

func TestPostgresURLGivesAFreshDatabase(t *testing.T) {
	a, b := PostgresURL(t), PostgresURL(t)
	require.NotEqual(t, a, b)
	require.NoError(t, psql(a, "CREATE TABLE only_here (x int)"))
	require.NoError(t, psql(b, "CREATE TABLE only_here (x int)"), "each URL must name a database of its own")
}

func TestPostgresStopAndStart(t *testing.T) {
	s, err := StartPostgres()
	if err != nil {
		Skip(t, "PostgreSQL", "postgresql", err)
	}
	defer s.Remove()
	require.NoError(t, psql(s.URL, "CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)"))
	require.NoError(t, s.Stop())
	require.Error(t, psql(s.URL, "SELECT 1"), "a stopped server must not answer")
	require.NoError(t, s.Start())
	require.NoError(t, psql(s.URL, "SELECT x FROM kept WHERE x = 7"), "data survives a restart")
}

func TestWithDatabase(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u@h:5/postgres?sslmode=disable": "postgres://u@h:5/x?sslmode=disable",
		"postgres://u:p@h:5/db":                     "postgres://u:p@h:5/x",
		"postgresql://h":                            "postgresql://h/x",
	} {
		require.Equal(t, want, withDatabase(in, "x"), in)
	}
}
