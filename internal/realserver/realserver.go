// Package realserver gives the tests of this repository's backend modules
// real Redis and PostgreSQL servers on loopback: the addresses given in the
// environment, or servers it starts itself from the binaries of Debian's
// packages redis-server and postgresql, each in a temporary directory that
// it removes again.
//
// Without a server a test skips, with a message that names the package to
// install; when the environment has CI=true it fails instead, so that a
// CI run can never pass by skipping the tests it exists for.
//
// It depends on nothing but the standard library and the servers'
// commands, so that the core module gains no dependency; the backend
// modules import it as test code (an internal package of the root path).
package realserver

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Environment variables that name servers to use instead of starting
// them: a Redis address such as 127.0.0.1:6379, and a PostgreSQL URL
// whose user may create databases.
const (
	RedisAddrEnv   = "SMSGW24_REDIS_ADDR"
	PostgresURLEnv = "SMSGW24_POSTGRES_URL"
)

// Server is a server started by this package. Stop and Start stop it and
// start it again on the same port with the same data, for tests of an
// outage; Kill ends it with SIGKILL.
type Server struct {
	// Addr is the server's loopback address, host:port.
	Addr string
	// URL is how a client reaches it: for PostgreSQL a postgres:// URL of
	// its default database, for Redis redis://Addr.
	URL string

	kind string // "redis" or "postgres"
	dir  string
	port int
	bin  string // the directory of the server's binaries

	conf string   // the configuration file of redis-server, if any
	args []string // more arguments of redis-server

	mu  sync.Mutex
	cmd *exec.Cmd // a running redis-server
}

// Skip skips tb, or fails it when CI=true, with a message that names the
// Debian package to install.
func Skip(tb testing.TB, what, pkg string, err error) {
	tb.Helper()
	msg := fmt.Sprintf("%s is not available (%v); install Debian's package %s, or set %s", what, err, pkg, envFor(what))
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg + " (CI=true: a missing server fails the run)")
	}
	tb.Skip(msg)
}

func envFor(what string) string {
	if what == "Redis" {
		return RedisAddrEnv
	}
	return PostgresURLEnv
}

var shared struct {
	mu       sync.Mutex
	redis    *Server
	postgres *Server
	dbs      int
}

// Main runs a package's tests and then stops the servers it shared
// between them. Call it from TestMain:
//
//	func TestMain(m *testing.M) { realserver.Main(m) }
func Main(m *testing.M) {
	code := m.Run()
	shared.mu.Lock()
	for _, s := range []*Server{shared.redis, shared.postgres} {
		if s != nil {
			s.Remove()
		}
	}
	shared.mu.Unlock()
	os.Exit(code)
}

// RedisAddr returns the address of a Redis server for tb: the one
// RedisAddrEnv names, or one this package started for the whole test
// binary (see [Main]). Tests share it: each should use keys of its own.
func RedisAddr(tb testing.TB) string {
	tb.Helper()
	if a := os.Getenv(RedisAddrEnv); a != "" {
		return a
	}
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.redis == nil {
		s, err := StartRedis()
		if err != nil {
			Skip(tb, "Redis", "redis-server", err)
		}
		shared.redis = s
	}
	return shared.redis.Addr
}

// PostgresURL returns the URL of a new, empty database for tb, on the
// server PostgresURLEnv names or on one this package started for the whole
// test binary (see [Main]). The database is dropped when tb ends.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(PostgresURLEnv)
	shared.mu.Lock()
	if base == "" {
		if shared.postgres == nil {
			s, err := StartPostgres()
			if err != nil {
				shared.mu.Unlock()
				Skip(tb, "PostgreSQL", "postgresql", err)
			}
			shared.postgres = s
		}
		base = shared.postgres.URL
	}
	shared.dbs++
	name := fmt.Sprintf("t%d_%d", os.Getpid(), shared.dbs)
	shared.mu.Unlock()
	if err := psql(base, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("realserver: create database: %v", err)
	}
	tb.Cleanup(func() {
		_ = psql(base, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return withDatabase(base, name)
}

// withDatabase replaces the database of a postgres:// URL.
func withDatabase(url, name string) string {
	rest, query, _ := strings.Cut(url, "?")
	scheme, hostPath, _ := strings.Cut(rest, "://")
	host, _, _ := strings.Cut(hostPath, "/")
	u := scheme + "://" + host + "/" + name
	if query != "" {
		u += "?" + query
	}
	return u
}

// psql runs one statement with the psql command of PostgreSQL's client.
func psql(url, stmt string) error {
	bin, err := postgresBin("psql")
	if err != nil {
		return err
	}
	out, err := exec.Command(filepath.Join(bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", stmt).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v: %s", stmt, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// StartRedis starts redis-server from PATH on a free loopback port, with
// nothing saved to disk. Remove stops it and removes its directory.
func StartRedis() (*Server, error) { return StartRedisWith() }

// StartRedisWith starts redis-server as StartRedis does, with more
// arguments, such as "--cluster-enabled", "yes" for a node of a cluster.
func StartRedisWith(args ...string) (*Server, error) {
	return startRedis(nil, args)
}

// StartRedisSentinel starts a Redis Sentinel (redis-server --sentinel) on
// a free loopback port that watches primary under the name master, with a
// quorum of one.
func StartRedisSentinel(primary *Server, master string) (*Server, error) {
	conf := func(dir string) (string, error) {
		path := filepath.Join(dir, "sentinel.conf")
		text := fmt.Sprintf("sentinel monitor %s 127.0.0.1 %d 1\n", master, primary.port)
		return path, os.WriteFile(path, []byte(text), 0o600)
	}
	return startRedis(conf, []string{"--sentinel"})
}

// startRedis starts redis-server with args after the configuration file
// that conf writes, if any.
func startRedis(conf func(dir string) (string, error), args []string) (*Server, error) {
	path, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "smsgw24-redis-")
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{kind: "redis", dir: dir, port: port, bin: filepath.Dir(path), args: args}
	if conf != nil {
		if s.conf, err = conf(dir); err != nil {
			s.Remove()
			return nil, err
		}
	}
	s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	s.URL = "redis://" + s.Addr
	if err := s.Start(); err != nil {
		s.Remove()
		return nil, err
	}
	return s, nil
}

// StartPostgres creates a PostgreSQL cluster in a temporary directory and
// starts it on a free loopback port, trusting local connections of the
// user postgres. Run as root, it runs the server as the user postgres,
// which Debian's package creates. Remove stops it and removes its
// directory.
func StartPostgres() (*Server, error) {
	bin, err := postgresBin("initdb")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "smsgw24-postgres-")
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{kind: "postgres", dir: dir, port: port, bin: bin}
	s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	s.URL = fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", s.Addr)
	if os.Geteuid() == 0 {
		if err := exec.Command("chown", "postgres:postgres", dir).Run(); err != nil {
			s.Remove()
			return nil, fmt.Errorf("chown %s to the user postgres: %w", dir, err)
		}
	}
	out, err := s.command("initdb", "-D", s.data(), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C").CombinedOutput()
	if err != nil {
		s.Remove()
		return nil, fmt.Errorf("initdb: %v: %s", err, lastLine(out))
	}
	if err := s.Start(); err != nil {
		s.Remove()
		return nil, err
	}
	return s, nil
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

// command runs one of the server's binaries, as the user postgres when
// run as root for PostgreSQL.
func (s *Server) command(name string, args ...string) *exec.Cmd {
	path := filepath.Join(s.bin, name)
	if s.kind == "postgres" && os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

// Start starts the server again after Stop or Kill, on the same port with
// the same data, and waits until it takes connections.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.kind {
	case "redis":
		var args []string
		if s.conf != "" {
			args = append(args, s.conf) // a configuration file comes first
		}
		args = append(args, "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
			"--save", "", "--appendonly", "no", "--dir", s.dir, "--logfile", filepath.Join(s.dir, "redis.log"))
		cmd := s.command("redis-server", append(args, s.args...)...)
		if err := cmd.Start(); err != nil {
			return err
		}
		s.cmd = cmd
		go func() { _ = cmd.Wait() }()
		return waitRedis(s.Addr, 10*time.Second)
	default:
		opts := fmt.Sprintf("-p %d -h 127.0.0.1 -k %s -c fsync=off -c full_page_writes=off -c max_connections=200", s.port, s.dir)
		out, err := s.command("pg_ctl", "-D", s.data(), "-l", filepath.Join(s.dir, "postgres.log"), "-w", "-t", "60", "-o", opts, "start").CombinedOutput()
		if err != nil {
			return fmt.Errorf("pg_ctl start: %v: %s", err, lastLine(out))
		}
		return nil
	}
}

// Stop stops the server, as an outage: PostgreSQL with its immediate
// mode (no checkpoint, like a crash), Redis with SIGKILL.
func (s *Server) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.kind {
	case "redis":
		if s.cmd == nil {
			return nil
		}
		err := s.cmd.Process.Kill()
		s.cmd = nil
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) && waitRedis(s.Addr, 0) == nil {
			time.Sleep(10 * time.Millisecond)
		}
		return err
	default:
		out, err := s.command("pg_ctl", "-D", s.data(), "-w", "-m", "immediate", "stop").CombinedOutput()
		if err != nil && !strings.Contains(string(out), "not running") && !strings.Contains(string(out), "does not exist") {
			return fmt.Errorf("pg_ctl stop: %v: %s", err, lastLine(out))
		}
		return nil
	}
}

// Remove stops the server and removes its directory.
func (s *Server) Remove() {
	_ = s.Stop()
	_ = os.RemoveAll(s.dir)
}

// waitRedis waits up to d for a PONG from the Redis server at addr; with
// d == 0 it asks once.
func waitRedis(addr string, d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		err := pingRedis(addr)
		if err == nil || !time.Now().Before(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func pingRedis(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return errors.New("redis answered " + strconv.Quote(strings.TrimSpace(line)))
	}
	return nil
}

// postgresBin finds the directory that holds PostgreSQL's command name:
// Debian's /usr/lib/postgresql/VERSION/bin first (the newest version),
// then PATH, where initdb and pg_ctl must stand side by side.
func postgresBin(name string) (string, error) {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(matches) > 0 {
		return filepath.Dir(matches[len(matches)-1]), nil
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s: not found in /usr/lib/postgresql/*/bin nor in PATH", name)
	}
	return filepath.Dir(p), nil
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}
