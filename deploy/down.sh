#!/usr/bin/env bash
# Stops what ./deploy/up.sh started: the three services and the console (by PID) and the private broker.
set -euo pipefail
. "$(dirname "$0")/services.sh"
cd "$repo"
for entry in "${SERVICES[@]}"; do
  IFS=: read -r name _ _ <<< "$entry"
  stop_service "$name" "$repo/.local/run"
done
./deploy/rabbitmq.sh stop
