#!/usr/bin/env bash
# Runs the whole system on this machine: a private RabbitMQ broker (installed if missing) and the
# three services and the web console, in the background. Stop it all with ./deploy/down.sh.
# At first start it makes the keys (.local/secrets.env), an intake API key and the console's local users
# operator, engineer, manager, auditor and admin (their passwords kept in .local/credentials.env); every start writes
# fresh 30-day tokens for each role to .local/credentials.env. Both files are git-ignored.
#
#   OPS_DATABASE=postgres ./deploy/up.sh      the services on a private PostgreSQL cluster (deploy/postgres.sh,
#                                             installed if missing), each in its own database; SQLite files otherwise
#   OPS_DATABASE=postgres OPS_INSTANCES=2 ./deploy/up.sh   two instances of each service: instance k on the
#                                             service's port + 10·k (tickets 5101, 5111; sla-timer 5102, 5112; …)
set -euo pipefail
. "$(dirname "$0")/services.sh"
cd "$repo"

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is needed: https://dot.net" >&2; exit 1; }
command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }

instances=${OPS_INSTANCES:-1}
if ! [[ "$instances" =~ ^[1-9]$ ]]; then echo "OPS_INSTANCES must be a number from 1 to 9, not '$instances'" >&2; exit 2; fi
if [ "$instances" -gt 1 ] && [ "$OPS_DATABASE" != postgres ]; then
  echo "OPS_INSTANCES=$instances needs a store the instances share: OPS_DATABASE=postgres (a SQLite file belongs to one process)" >&2; exit 2
fi

./deploy/rabbitmq.sh start
. .local/rabbitmq/amqp.env
if [ "$OPS_DATABASE" = postgres ]; then
  ./deploy/postgres.sh start
  for entry in "${SERVICES[@]}"; do
    IFS=: read -r name _ _ <<< "$entry"
    [ "$name" = console ] || ./deploy/postgres.sh createdb "$(database_name "$name")"
  done
fi
# What this run is started with, for down.sh.
( umask 077; mkdir -p .local/run; printf 'OPS_DATABASE=%s\nOPS_INSTANCES=%s\n' "$OPS_DATABASE" "$instances" > .local/run/system.env )

echo "building…"
dotnet build ops.sln -c Release --nologo -v quiet -clp:ErrorsOnly

run=$repo/.local/run
data=$repo/.local/data
load_secrets "$repo/.local/secrets.env"
( umask 077; mkdir -p "$run" "$data" ) && chmod 700 "$run" "$data"

write_local_credentials Release "$data" "$run" "$repo/.local/credentials.env" || exit 1

for entry in "${SERVICES[@]}"; do
  IFS=: read -r name folder port <<< "$entry"
  # One console: it calls instance 0 of each service (in production, the load balancer's address).
  count=$instances; [ "$name" = console ] && count=1
  for ((k = 0; k < count; k++)); do
    start_service "$name" "$folder" "$port" Release "$run" "$data" "$k"
  done
  for ((k = 0; k < count; k++)); do
    instance_name=$name; [ "$k" -gt 0 ] && instance_name=$name.$k
    wait_ready "$instance_name" $((port + 10 * k)) "$run"
  done
done

where="data in .local/data"; [ "$OPS_DATABASE" = postgres ] && where="data in PostgreSQL on 127.0.0.1:$(. .local/postgres/postgres.env; echo "$OPS_POSTGRES_PORT")"
echo
echo "Ops SLA is running ($where, logs in .local/run):"
for entry in "${SERVICES[@]}"; do
  IFS=: read -r name folder port <<< "$entry"
  if [ "$name" = console ]; then
    printf '  %-10s http://127.0.0.1:%s/\n' "$name" "$port"
  else
    for ((k = 0; k < instances; k++)); do
      printf '  %-10s http://127.0.0.1:%s/swagger\n' "$name$([ "$k" -gt 0 ] && echo ".$k")" $((port + 10 * k))
    done
  fi
done
echo
echo "Sign in to the console as operator, engineer, manager, auditor or admin with the passwords in .local/credentials.env."
echo "Credentials are in .local/credentials.env (. .local/credentials.env), e.g.:"
echo '  curl -H "X-Api-Key: $OPS_INTAKE_KEY" -H "Content-Type: application/json" -d @fault.json http://127.0.0.1:5101/api/tickets'
echo '  curl -H "Authorization: Bearer $OPS_MANAGER_TOKEN" http://127.0.0.1:5103/api/assessment'
echo "Stop it with ./deploy/down.sh"
