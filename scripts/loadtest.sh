#!/usr/bin/env bash
# scripts/loadtest.sh: build the instrumented receiver and the load generator,
# then drive the receiver and an empty net/http handler, both on 127.0.0.1
# only, for a bounded time each (10 s by default), and report throughput,
# latency, errors, callbacks and memory. It needs nothing but Go; the
# generator is loadtest/generator, the receiver loadtest/receiver. Flags go to the generator, for example:
#
#	scripts/loadtest.sh -duration 30s -c 64
#	scripts/loadtest.sh -h
#
# With -inbox-table it measures the durable inbox instead: acknowledged
# events per second and answer latency with the inbox on SQLite and on
# PostgreSQL, against the synchronous Handler and River's own insert rate
# on the same kind of database (PostgreSQL: Debian's postgresql, started
# by the generator, or -postgres URL):
#
#	scripts/loadtest.sh -inbox-table -duration 10s
#
# With -handler-table it measures the library's request path end to end:
# an smsgw24.Handler behind a token, with callbacks that do nothing, no
# Deduplicator and no log per event, against the empty net/http handler,
# with the same server settings. Both servers run on CPU 0 and the
# generator on CPU 1 (taskset, from util-linux; without it, or with one
# CPU, it runs unpinned and says so), in alternating rounds of the same
# traffic; it reports each round's requests per second and the ratio
# Handler ÷ empty, the medians, latency and server CPU per request, under
# a header with the machine and this command line:
#
#	scripts/loadtest.sh -handler-table -duration 10s
#
# It exits 1 when a check fails: an error answer, callbacks that do not
# match the distinct events, or memory that keeps growing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v go >/dev/null; then
	echo "loadtest.sh: Go 1.26 or later is needed: https://go.dev/dl/" >&2
	exit 2
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
(cd loadtest && go build -o "$bin/receiver" ./receiver && go build -o "$bin/generator" ./generator)
LOADTEST_COMMAND="scripts/loadtest.sh$(printf ' %q' "$@")"
if [ $# -eq 0 ]; then
	LOADTEST_COMMAND=scripts/loadtest.sh
fi
export LOADTEST_COMMAND
"$bin/generator" -receiver "$bin/receiver" "$@"
