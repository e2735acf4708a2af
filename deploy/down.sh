#!/usr/bin/env bash
# Stops what ./deploy/up.sh started: the services' instances and the console (by PID), the private broker, and
# the private PostgreSQL cluster when the system ran on it.
set -euo pipefail
. "$(dirname "$0")/services.sh"
cd "$repo"
run=$repo/.local/run
for pidfile in "$run"/*.pid; do
  [ -e "$pidfile" ] || continue
  stop_service "$(basename "$pidfile" .pid)" "$run"
done
./deploy/rabbitmq.sh stop
if grep -qs '^OPS_DATABASE=postgres' "$run/system.env"; then ./deploy/postgres.sh stop; fi
