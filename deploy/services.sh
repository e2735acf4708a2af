#!/usr/bin/env bash
# Shared by up.sh, down.sh and test.sh: where the services are and how to start and stop one.
# Sourced, not run.

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# name:project folder:port — consumers first, so their queues exist before anything is published; the web
# console last, as it calls the other three.
SERVICES=("sla-timer:SlaTimer:5102" "scoring:Scoring:5103" "tickets:Tickets:5101" "console:Console:5100")

# The store: OPS_DATABASE=postgres runs every service on the private PostgreSQL cluster (deploy/postgres.sh),
# each in its own database ops_<service>; anything else (the default) on SQLite files in the data folder.
OPS_DATABASE=${OPS_DATABASE:-sqlite}
case "$OPS_DATABASE" in
  sqlite|postgres) ;;
  *) echo "OPS_DATABASE must be sqlite or postgres, not '$OPS_DATABASE'" >&2; exit 2 ;;
esac

database_name() { echo "ops_${1//-/_}"; } # service name → its PostgreSQL database

# Prints the service's connection string on the PostgreSQL cluster (after deploy/postgres.sh start).
postgres_connection() { # service-name
  # shellcheck disable=SC1091
  ( . "${OPS_POSTGRES_DIR:-$repo/.local/postgres}/postgres.env"
    printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s' \
      "$OPS_POSTGRES_PORT" "$(database_name "$1")" "$OPS_POSTGRES_USER" "$OPS_POSTGRES_PASSWORD" )
}

# Runs a command with the service's store in its environment, through env: the command keeps env's process id.
with_database() { # service-name data-dir command…
  local name=$1 data=$2; shift 2
  if [ "$OPS_DATABASE" = postgres ] && [ "$name" != console ]; then
    env ConnectionStrings__Postgres="$(postgres_connection "$name")" Database__DataDirectory="$data" "$@"
  else
    env Database__DataDirectory="$data" "$@"
  fi
}

service_dll() { # folder configuration
  echo "$repo/services/$1/bin/$2/net10.0/Ops.$1.dll"
}

alive() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# The keys the services need (token signing, evidence seal, personal data at rest): each made once per
# machine, kept in .local/secrets.env (git-ignored, readable by the owner only). A key added by a newer
# version is added to an existing file; the keys already there are kept.
load_secrets() { # secrets-file
  local file=$1 key
  ( umask 077
    mkdir -p "$(dirname "$file")"
    touch "$file"
    for key in Auth__SigningKey Audit__ChainKey PersonalData__Key; do
      grep -q "^$key=" "$file" || printf '%s=%s\n' "$key" "$(head -c 32 /dev/urandom | base64 -w0)" >> "$file"
    done
    # The yearly archive's signing key (ECDSA P-256, PKCS#8): scoring signs with it; admin archive-key prints its public half.
    grep -q "^Archive__SigningKey=" "$file" || printf 'Archive__SigningKey=%s\n' \
      "$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0)" >> "$file" )
  chmod 600 "$file"
  set -a; . "$file"; set +a
}

# admin_command folder configuration data-dir args…  runs a service's admin command against its data
admin_command() {
  local folder=$1 configuration=$2 data=$3 name; shift 3
  name=$(for entry in "${SERVICES[@]}"; do IFS=: read -r n f _ <<< "$entry"; [ "$f" = "$folder" ] && echo "$n"; done)
  Logging__LogLevel__Default=Warning with_database "$name" "$data" dotnet "$(service_dll "$folder" "$configuration")" admin "$@"
}

# start_service name folder port configuration run-dir data-dir [instance]  (broker settings from OPS_RABBITMQ_*, keys
# from load_secrets). Instance k (from 0) listens on port + 10·k; its pid and log files are name.k (name for instance 0).
start_service() {
  local name=$1 folder=$2 port=$3 configuration=$4 run=$5 data=$6 instance=${7:-0} log
  if [ "$instance" -gt 0 ]; then port=$((port + 10 * instance)); name=$name.$instance; fi
  # The store's settings as words for env, not a function around the command: $! must be the service's own pid.
  local store=(Database__DataDirectory="$data")
  if [ "$OPS_DATABASE" = postgres ]; then store+=(ConnectionStrings__Postgres="$(postgres_connection "${name%%.*}")"); fi
  # Logs and data hold personal data: owner only.
  ( umask 077; mkdir -p "$run" "$data" ) && chmod 700 "$run" "$data"
  if [ -f "$run/$name.pid" ] && alive "$(cat "$run/$name.pid")"; then
    echo "$name: already running (pid $(cat "$run/$name.pid"))"; return
  fi
  log="$run/$name.log"
  # Each start appends to the service's log after a start line, so the log of an earlier run (a crash's) is kept;
  # a log past 50 MB is moved to $name.log.1 first (one older log kept).
  if [ -f "$log" ] && [ "$(stat -c %s "$log")" -gt $((50 * 1024 * 1024)) ]; then mv -f "$log" "$log.1"; fi
  ( umask 077; touch "$log" ) && chmod 600 "$log"
  printf '%s %s\n' "$START_LINE" "$(date -u +%FT%TZ) $name starting" >> "$log"
  # As in production (docs/performance.md#memory-over-long-runs): two malloc arenas, and the GC's middle generation
  # collected at 4 MB (hexadecimal; set here because the runtime settings file does not carry it).
  export MALLOC_ARENA_MAX=2 DOTNET_GCGen1MaxBudget=400000
  if [ "$name" = console ]; then
    # The console calls the APIs with the signed-in person's token: it has no bus and needs none of the keys.
    env -u Auth__SigningKey -u Audit__ChainKey -u PersonalData__Key -u Archive__SigningKey -u RabbitMq__Username -u RabbitMq__Password -u OPS_RABBITMQ_PASSWORD \
      Database__DataDirectory="$data" \
      setsid dotnet "$(service_dll "$folder" "$configuration")" --urls "http://127.0.0.1:$port" \
      >> "$log" 2>&1 < /dev/null &
  else
    # The services' young generation fixed at 32 MB, so that it does not move resident memory in steps (not the
    # console's, which allocates too little to fill it within hours).
    DOTNET_GCgen0size=2000000 \
    RabbitMq__Host=127.0.0.1 RabbitMq__Port="$OPS_RABBITMQ_PORT" \
    RabbitMq__Username="$OPS_RABBITMQ_USER" RabbitMq__Password="$OPS_RABBITMQ_PASSWORD" \
    env "${store[@]}" \
      setsid dotnet "$(service_dll "$folder" "$configuration")" --urls "http://127.0.0.1:$port" \
      >> "$log" 2>&1 < /dev/null &
  fi
  ( umask 077; echo $! > "$run/$name.pid" )
}

START_LINE="=====" # begins the line that marks a start in a service's log

# The log of the service's last start: what follows the last start line.
last_start_log() { # log-file
  awk -v mark="$START_LINE" 'index($0, mark " ") == 1 { n = 0 } { lines[++n] = $0 } END { for (i = 1; i <= n; i++) print lines[i] }' "$1"
}

# Ready: database reachable and the bus connected with the service's queue declared. (The readiness
# report also counts parked messages in the error queue; those need a person, not a restart.) The console:
# the tickets service answers it.
wait_ready() { # name port run-dir
  local name=$1 port=$2 run=$3 health
  for _ in $(seq 1 120); do
    health=$(curl -fsS "http://127.0.0.1:$port/health/ready" 2>/dev/null || true)
    if [ "$name" = console ]; then
      # The console has no database nor bus: ready when it answers and reaches the tickets service.
      if grep -q '"tickets":{"status":"Healthy"' <<< "$health"; then return 0; fi
    elif grep -q '"database":{"status":"Healthy"' <<< "$health" && grep -q '"bus":{"status":"Healthy"' <<< "$health"; then return 0; fi
    if ! alive "$(cat "$run/$name.pid")"; then
      echo "$name exited at start; its log:" >&2; last_start_log "$run/$name.log" | tail -n 30 >&2; return 1
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
