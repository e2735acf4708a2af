#!/usr/bin/env bash
# Runs every test: each service's unit tests, the T-SQL checks (and the live SQL Server tests when
# OPS_TEST_SQLSERVER holds a connection string), then the end-to-end tests against the three services
# as processes and a private RabbitMQ broker, which this script installs if missing, starts and stops,
# and the web console's tests in Debian's chromium (installed with CJK fonts if missing).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed: https://dot.net" >&2; exit 1; }
configuration=${CONFIGURATION:-Release}

./deploy/rabbitmq.sh install
# The console's tests drive Debian's chromium (Playwright's own browser download cannot be reached), with CJK fonts.
if ! command -v chromium >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
export OPS_RABBITMQ_PORT=${OPS_RABBITMQ_PORT:-5692}
export OPS_RABBITMQ_DIR=$repo/.local/test-rabbitmq
rm -rf "$OPS_RABBITMQ_DIR"   # a fresh broker for every run: no queue or message of an earlier one
trap './deploy/rabbitmq.sh stop' EXIT

dotnet build ops.sln -c "$configuration" --nologo -v quiet -clp:ErrorsOnly

unit=(tests/Ops.Tickets.Tests tests/Ops.SlaTimer.Tests tests/Ops.Scoring.Tests tests/Ops.SqlServer.Tests)
for project in "${unit[@]}"; do
  dotnet test "$project" -c "$configuration" --no-build --nologo
done

./deploy/rabbitmq.sh start
dotnet test tests/Ops.EndToEnd.Tests -c "$configuration" --no-build --nologo --logger "console;verbosity=normal" \
  | grep -v -E '^\s*$'

# Faults injected on purpose: each test starts, breaks and stops its own services (and broker, when it kills it).
dotnet test tests/Ops.Faults.Tests -c "$configuration" --no-build --nologo

# The web console in a real browser, over its own three services on the same broker.
dotnet test tests/Ops.Console.Tests -c "$configuration" --no-build --nologo
