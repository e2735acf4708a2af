#!/usr/bin/env bash
# Runs the whole system on this machine: a private RabbitMQ broker (installed if missing) and the
# three services, in the background. Stop it all with ./deploy/down.sh.
set -euo pipefail
. "$(dirname "$0")/services.sh"
cd "$repo"

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed: https://dot.net" >&2; exit 1; }
command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }

./deploy/rabbitmq.sh start
. .local/rabbitmq/amqp.env

echo "building…"
dotnet build ops.sln -c Release --nologo -v quiet -clp:ErrorsOnly

run=$repo/.local/run
data=$repo/.local/data
for entry in "${SERVICES[@]}"; do
  IFS=: read -r name folder port <<< "$entry"
  start_service "$name" "$folder" "$port" Release "$run" "$data"
  wait_ready "$name" "$port" "$run"
done

echo
echo "Ops SLA is running (data in .local/data, logs in .local/run):"
for entry in "${SERVICES[@]}"; do
  IFS=: read -r name folder port <<< "$entry"
  printf '  %-10s http://127.0.0.1:%s/swagger\n' "$name" "$port"
done
echo "Stop it with ./deploy/down.sh"
