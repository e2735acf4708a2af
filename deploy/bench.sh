#!/usr/bin/env bash
# Runs the benchmark: a private broker of its own and the three services as processes on SQLite, under
# intake load, with many running clocks, after an outage and over a contract year of faults; also the
# machine's own ceilings. Prints a table and, as its last line, one JSON object with every figure.
#   ./deploy/bench.sh            the full run (about 7 minutes on a 2-core machine)
#   ./deploy/bench.sh --quick    the everyday run (under 2 minutes)
#   ./deploy/bench.sh --only intake|breach|catchup|queries|export   one part (and the ceilings), for profiling
#   ./deploy/bench.sh --database postgres   the services on PostgreSQL: a private cluster of the benchmark's own
#                                  (OPS_POSTGRES_PORT, 5722 unless told; $OPS_BENCH_DIR/bench-postgres), a new database per
#                                  service, dropped at the end; the insert ceiling is then PostgreSQL's
#   ./deploy/bench.sh --database postgres --instances 2   two instances of each service on the service's one
#                                  database: intake over both tickets instances, catch-up with one and with two
#                                  sla-timers, CPU and memory per instance (--instances needs PostgreSQL)
#   ./deploy/bench.sh --soak 30m   a steady 100 faults a second for that long (90s, 10m, 1h…): memory, outbox backlog,
#                                  SQLite files and intake p99 a minute, with a verdict per target (not part of the test suite)
# The options combine (--quick --database postgres --instances 2). With OPS_BENCH_SQLSERVER set to a connection
# string of a SQL Server on which it may create databases, and no --database, the services run on SQL Server
# instead: a new database each, dropped at the end. The broker's and the cluster's state are made new for every run in
# OPS_BENCH_DIR (.local unless told; never OPS_POSTGRES_DIR, which may hold a cluster of yours), on OPS_RABBITMQ_PORT
# (5702) and OPS_POSTGRES_PORT (5722).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

database=sqlite
instances=1
previous=
for argument in "$@"; do
  case "$previous" in
    --database) database=$argument ;;
    --instances) instances=$argument ;;
  esac
  previous=$argument
done
case "$database" in sqlite|postgres) ;; *) echo "bench: --database sqlite|postgres" >&2; exit 2 ;; esac
if [ "$instances" != 1 ] && [ "$database" != postgres ]; then
  echo "bench: --instances needs --database postgres: the instances of a service share its database, and a SQLite file is one process's" >&2
  exit 2
fi

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed: https://dot.net" >&2; exit 1; }
./deploy/rabbitmq.sh install
export OPS_RABBITMQ_PORT=${OPS_RABBITMQ_PORT:-5702}
bench_dir=${OPS_BENCH_DIR:-$repo/.local}
export OPS_RABBITMQ_DIR=$bench_dir/bench-rabbitmq
rm -rf "$OPS_RABBITMQ_DIR"
trap './deploy/rabbitmq.sh stop >/dev/null 2>&1 || true' EXIT

if [ "$database" = postgres ]; then
  ./deploy/postgres.sh install
  export OPS_POSTGRES_PORT=${OPS_POSTGRES_PORT:-5722}
  export OPS_POSTGRES_DIR=$bench_dir/bench-postgres
  # PostgreSQL's own defaults (fsync, synchronous commit, full page writes, autovacuum all on), unlike the test
  # cluster's throw-away settings: the figures are those of a store that keeps what it acknowledged.
  export OPS_POSTGRES_OPTIONS=
  rm -rf "$OPS_POSTGRES_DIR"   # a new cluster for every run: no table or dead row of an earlier one
  trap './deploy/rabbitmq.sh stop >/dev/null 2>&1 || true; ./deploy/postgres.sh stop >/dev/null 2>&1 || true' EXIT
  ./deploy/postgres.sh start >&2
fi

dotnet build ops.sln -c Release --nologo -v quiet -clp:ErrorsOnly >&2
dotnet tests/Ops.Benchmarks/bin/Release/net10.0/Ops.Benchmarks.dll "$@"
