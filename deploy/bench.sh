#!/usr/bin/env bash
# Runs the benchmark: a private broker of its own and the three services as processes on SQLite, under
# intake load, with many running clocks, after an outage and over a contract year of faults; also the
# machine's own ceilings. Prints a table and, as its last line, one JSON object with every figure.
#   ./deploy/bench.sh            the full run (about 7 minutes on a 2-core machine)
#   ./deploy/bench.sh --quick    the everyday run (under 2 minutes)
#   ./deploy/bench.sh --only intake|breach|catchup|queries|export   one part (and the ceilings), for profiling
#   ./deploy/bench.sh --soak 30m   a steady 100 faults a second for that long (90s, 10m, 1h…): memory, outbox backlog,
#                                  SQLite files and intake p99 a minute, with a verdict per target (not part of the test suite)
# With OPS_BENCH_SQLSERVER set to a connection string of a SQL Server on which it may create databases, the
# services run on SQL Server instead: a new database each, dropped at the end.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed: https://dot.net" >&2; exit 1; }
./deploy/rabbitmq.sh install
export OPS_RABBITMQ_PORT=${OPS_RABBITMQ_PORT:-5702}
export OPS_RABBITMQ_DIR=$repo/.local/bench-rabbitmq
rm -rf "$OPS_RABBITMQ_DIR"
trap './deploy/rabbitmq.sh stop >/dev/null 2>&1 || true' EXIT

dotnet build ops.sln -c Release --nologo -v quiet -clp:ErrorsOnly >&2
dotnet tests/Ops.Benchmarks/bin/Release/net10.0/Ops.Benchmarks.dll "$@"
