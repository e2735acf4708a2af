#!/usr/bin/env bash
# Shared by up.sh, down.sh and test.sh: where the services are and how to start and stop one.
# Sourced, not run.

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# name:project folder:port — consumers first, so their queues exist before anything is published.
SERVICES=("sla-timer:SlaTimer:5102" "scoring:Scoring:5103" "tickets:Tickets:5101")

service_dll() { # folder configuration
  echo "$repo/services/$1/bin/$2/net10.0/Ops.$1.dll"
}

alive() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# The keys every service needs (token signing, evidence seal): made once per machine, kept in
# .local/secrets.env (git-ignored, readable by the owner only).
load_secrets() { # secrets-file
  local file=$1
  if [ ! -f "$file" ]; then
    mkdir -p "$(dirname "$file")"
    ( umask 077
      printf 'Auth__SigningKey=%s\nAudit__ChainKey=%s\n' "$(head -c 32 /dev/urandom | base64 -w0)" "$(head -c 32 /dev/urandom | base64 -w0)" > "$file" )
  fi
  set -a; . "$file"; set +a
}

# admin_command folder configuration data-dir args…  runs a service's admin command against its data
admin_command() {
  local folder=$1 configuration=$2 data=$3; shift 3
  Logging__LogLevel__Default=Warning Database__DataDirectory="$data" dotnet "$(service_dll "$folder" "$configuration")" admin "$@"
}

# start_service name folder port configuration run-dir data-dir  (broker settings from OPS_RABBITMQ_*, keys from load_secrets)
start_service() {
  local name=$1 folder=$2 port=$3 configuration=$4 run=$5 data=$6
  mkdir -p "$run" "$data"
  if [ -f "$run/$name.pid" ] && alive "$(cat "$run/$name.pid")"; then
    echo "$name: already running (pid $(cat "$run/$name.pid"))"; return
  fi
  RabbitMq__Host=127.0.0.1 RabbitMq__Port="$OPS_RABBITMQ_PORT" \
  RabbitMq__Username="$OPS_RABBITMQ_USER" RabbitMq__Password="$OPS_RABBITMQ_PASSWORD" \
  Database__DataDirectory="$data" \
    setsid dotnet "$(service_dll "$folder" "$configuration")" --urls "http://127.0.0.1:$port" \
    > "$run/$name.log" 2>&1 < /dev/null &
  echo $! > "$run/$name.pid"
}

# Ready: database reachable and the bus connected with the service's queue declared. (The readiness
# report also counts parked messages in the error queue; those need a person, not a restart.)
wait_ready() { # name port run-dir
  local name=$1 port=$2 run=$3 health
  for _ in $(seq 1 120); do
    health=$(curl -fsS "http://127.0.0.1:$port/health/ready" 2>/dev/null || true)
    if grep -q '"database":{"status":"Healthy"' <<< "$health" && grep -q '"bus":{"status":"Healthy"' <<< "$health"; then return 0; fi
    if ! alive "$(cat "$run/$name.pid")"; then
      echo "$name exited; its log:" >&2; tail -n 30 "$run/$name.log" >&2; return 1
    fi
    sleep 0.5
  done
  echo "$name is not ready after 60 s; see $run/$name.log" >&2; return 1
}

stop_service() { # name run-dir
  local name=$1 run=$2 pid
  [ -f "$run/$name.pid" ] || return 0
  pid=$(cat "$run/$name.pid")
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do alive "$pid" || break; sleep 0.25; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    echo "$name: stopped"
  fi
  rm -f "$run/$name.pid"
}
