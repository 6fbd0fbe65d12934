// Package fault drives real receiver processes (the instrumented receiver
// of ../receiver) through faults: a receiver killed with SIGKILL in the
// middle of a run, its backend (Redis or PostgreSQL) stopped and started
// again, and counts what reached the callbacks against what was answered.
//
// Its tests are the fault and crash scenarios of the repository:
//
//   - several replicas sharing a de-duplication backend (Redis, then
//     PostgreSQL through sqldedup): every event answered 200 ran its
//     callback exactly once, apart from callbacks cut by the kill or whose
//     commit the outage failed, and no 200 was answered while the backend
//     was down;
//   - the durable inbox on a SQLite file, one receiver killed and started
//     again on the same file; on PostgreSQL, three receivers with one
//     killed; and PostgreSQL stopped mid-run: every event answered 200 is
//     delivered, as many distinct events are delivered as were posted,
//     and redeliveries happen only for jobs that were in flight.
//
// The pieces: [Receiver] runs one receiver process; [Sender] posts events
// with copies spread over the receivers and retries what did not get a
// 200, as the gateway does; [ReadCallbackLogs] reads the lines the
// receivers wrote at each callback's start and end; [CheckDedup] and
// [CheckInbox] turn all that into a [Report].
package fault
