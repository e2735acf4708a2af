#!/usr/bin/env bash
# Runs every test, in two lanes side by side: each service's unit tests (their store tests on SQLite and on
# PostgreSQL), the SQL dialect checks (and the live SQL Server tests when OPS_TEST_SQLSERVER holds a connection
# string) and the faults injected on purpose; beside them, the end-to-end tests against the three services as
# processes and a private RabbitMQ broker, once on SQLite and once on PostgreSQL, the production files, and the web
# console's tests in Debian's chromium headless shell (installed with CJK fonts if missing). The broker and a private PostgreSQL
# cluster are installed if missing, started and stopped here. Each lane's output is in .local/test-logs/. Then the
# scale-out test runs alone: two instances of each service on PostgreSQL.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed: https://dot.net" >&2; exit 1; }
configuration=${CONFIGURATION:-Release}

./deploy/rabbitmq.sh install
./deploy/postgres.sh install
# The console's tests drive Debian's chromium (Playwright's own browser download cannot be reached), with CJK fonts: its
# headless shell, which takes about half of the full browser's CPU for the same pages.
if ! command -v chromium-headless-shell >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell fonts-noto-cjk >/dev/null
fi
export OPS_RABBITMQ_PORT=${OPS_RABBITMQ_PORT:-5692}
export OPS_RABBITMQ_DIR=$repo/.local/test-rabbitmq
rm -rf "$OPS_RABBITMQ_DIR"   # a fresh broker for every run: no queue or message of an earlier one
# A throw-away cluster: without fsync, as nothing in it outlives the run; without autovacuum, whose workers the
# test account may not end when it drops a test's database.
export OPS_POSTGRES_PORT=${OPS_POSTGRES_PORT:-5642}
export OPS_POSTGRES_DIR=$repo/.local/test-postgres
export OPS_POSTGRES_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off"
rm -rf "$OPS_POSTGRES_DIR"
trap './deploy/rabbitmq.sh stop; ./deploy/postgres.sh stop' EXIT

dotnet build ops.sln -c "$configuration" --nologo -v quiet -clp:ErrorsOnly

./deploy/postgres.sh start
logs=$repo/.local/test-logs
rm -rf "$logs" && mkdir -p "$logs"

# One suite: its name, then its command; says how long it took, and whether it passed.
suite() {
  local name=$1 started=$SECONDS
  shift
  if "$@"; then echo "== $name: passed in $((SECONDS - started)) s"; else echo "== $name: FAILED after $((SECONDS - started)) s"; return 1; fi
}

end_to_end() {
  OPS_TEST_DATABASE=$1 dotnet test tests/Ops.EndToEnd.Tests -c "$configuration" --no-build --nologo --logger "console;verbosity=normal" \
    | grep -v -E '^\s*$'
}

# Lane 1: each service alone (its store on SQLite and on PostgreSQL), the SQL dialects, then faults injected on purpose:
# each of those tests starts, breaks and stops its own services and brokers.
services_lane() {
  local failed=0 project
  for project in tests/Ops.Tickets.Tests tests/Ops.SlaTimer.Tests tests/Ops.Scoring.Tests tests/Ops.SqlServer.Tests; do
    suite "$(basename "$project")" dotnet test "$project" -c "$configuration" --no-build --nologo || failed=1
  done
  # The scale-out test runs after both lanes, alone (below).
  suite Ops.Faults.Tests dotnet test tests/Ops.Faults.Tests -c "$configuration" --no-build --nologo --filter "TestCategory!=ScaleOut" || failed=1
  return $failed
}

# Lane 2: the three services as processes on the run's broker, end to end on SQLite and on PostgreSQL; the production
# files (systemd-analyze verify, nginx -t; nothing is started); the web console in chromium over services of its own.
system_lane() {
  local failed=0 store
  ./deploy/rabbitmq.sh start
  for store in sqlite postgres; do
    suite "end-to-end on $store" end_to_end "$store" || failed=1
  done
  suite "production files" ./deploy/production/check.sh || failed=1
  suite Ops.Console.Tests dotnet test tests/Ops.Console.Tests -c "$configuration" --no-build --nologo || failed=1
  return $failed
}

# The lanes run side by side, each mostly waiting on processes, brokers and a browser: together they take about as long
# as the longer one. Each lane's output is kept in .local/test-logs/ and printed when both are done.
services_lane >"$logs/services.log" 2>&1 &
services=$!
system_lane >"$logs/system.log" 2>&1 &
system=$!
status=0
wait $services || status=1
wait $system || status=1
for lane in services system; do
  echo "======== $lane lane ========"
  cat "$logs/$lane.log"
done

# Two instances of each service on PostgreSQL, 5,000 faults, an sla-timer and a scoring killed: alone on the machine,
# since six services, their databases and the load take both cores.
echo "======== scale-out ========"
suite "scale-out" dotnet test tests/Ops.Faults.Tests -c "$configuration" --no-build --nologo --filter TestCategory=ScaleOut \
  --logger "console;verbosity=normal" | tee "$logs/scale-out.log" | grep -v -E '^\s*$' || status=1
# Each failed test's name and the start of its message again, then the summary: a long run's output is often read
# from its end only.
if [ $status -ne 0 ]; then
  echo "======== failed tests ========"
  grep -h -A 12 -E '^\s+Failed [A-Za-z_]' "$logs/services.log" "$logs/system.log" "$logs/scale-out.log" | cut -c1-240 | head -100 || true
fi
echo "======== summary ========"
grep -h '^== ' "$logs/services.log" "$logs/system.log" "$logs/scale-out.log"
exit $status
