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

# write_local_credentials configuration data-dir run-dir credentials-file  (up.sh; keys from load_secrets)
# Writes the local credentials: the hotline's intake API key, the console's local users operator, engineer, manager,
# auditor and admin (made at first start with generated passwords, kept later) and fresh 30-day tokens for each role.
# What the file holds is kept only while the tickets store holds its intake key: a store made since (the data folder
# cleared) gets a new key, and the local users again with the passwords kept.
write_local_credentials() {
  local configuration=$1 data=$2 run=$3 credentials=$4 intake_key store_known=no checked=0 role password
  local roles=(operator engineer manager auditor admin)
  local -A passwords=() display_names=([operator]="热线接线员" [engineer]="值班工程师" [manager]="运维经理" [auditor]="甲方审计" [admin]="系统管理员")
  intake_key=$(grep -s '^OPS_INTAKE_KEY=' "$credentials" | cut -d= -f2- || true)
  if [ -n "$intake_key" ]; then
    OPS_API_KEY="$intake_key" admin_command Tickets "$configuration" "$data" check-key >"$run/admin.log" 2>&1 || checked=$?
    case $checked in
      0) store_known=yes ;;
      1) echo "The tickets store does not hold the intake key of $credentials: making a new key, and the local users again."
         intake_key="" ;;
      *) echo "tickets could not check the intake key:" >&2; cat "$run/admin.log" >&2; return 1 ;;
    esac
  fi
  if [ -z "$intake_key" ]; then
    # A setting the service refuses stops here, with its message.
    intake_key=$(admin_command Tickets "$configuration" "$data" create-key --name "local hotline gateway" --role intake 2>"$run/admin.log") \
      || { echo "tickets refused to make the intake API key:" >&2; cat "$run/admin.log" >&2; return 1; }
  fi

  for role in "${roles[@]}"; do
    passwords[$role]=$(grep -s "^OPS_${role^^}_PASSWORD=" "$credentials" | cut -d= -f2- || true)
    if [ -z "${passwords[$role]}" ] || [ "$store_known" = no ]; then
      password=${passwords[$role]:-$(head -c 18 /dev/urandom | base64 -w0)}
      if OPS_NEW_PASSWORD="$password" admin_command Tickets "$configuration" "$data" create-user --username "$role" \
          --display-name "${display_names[$role]}" --role "$role" >"$run/admin.log" 2>&1; then
        passwords[$role]=$password
      elif [ -z "${passwords[$role]}" ] || ! grep -q "A user with this name exists." "$run/admin.log"; then
        echo "tickets did not make the local user '$role' (its password is not in $credentials):" >&2; cat "$run/admin.log" >&2
      fi
    fi
  done

  ( umask 077
    { echo "# Local credentials of Ops SLA (made by ./deploy/up.sh; tokens valid for 30 days from $(date -u +%F))."
      echo "OPS_INTAKE_KEY=$intake_key"
      for role in "${roles[@]}"; do
        if [ -n "${passwords[$role]}" ]; then echo "OPS_${role^^}_PASSWORD=${passwords[$role]}"; fi
      done
      for role in "${roles[@]}"; do
        echo "OPS_${role^^}_TOKEN=$(admin_command Tickets "$configuration" "$data" issue-token --display-name "local $role" --role "$role" --days 30)"
      done
    } > "$credentials.tmp" && mv "$credentials.tmp" "$credentials" )
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
  # As in production (docs/performance.md#memory-over-long-runs): two malloc arenas, the GC's middle generation
  # collected at 4 MB and the heap committed in 1 MB regions (hexadecimal; set here because the runtime settings file
  # carries neither).
  export MALLOC_ARENA_MAX=2 DOTNET_GCGen1MaxBudget=400000 DOTNET_GCRegionSize=100000
  if [ "$name" = console ]; then
    # The console calls the APIs with the signed-in person's token: it has no bus and needs none of the keys.
    # Its young generation fixed at 4 MB: it allocates so little that a larger one took tens of minutes to fill.
    env -u Auth__SigningKey -u Audit__ChainKey -u PersonalData__Key -u Archive__SigningKey -u RabbitMq__Username -u RabbitMq__Password -u OPS_RABBITMQ_PASSWORD \
      DOTNET_GCgen0size=400000 Database__DataDirectory="$data" \
      setsid dotnet "$(service_dll "$folder" "$configuration")" --urls "http://127.0.0.1:$port" \
      >> "$log" 2>&1 < /dev/null &
  else
    # The services' young generation fixed at 32 MB, so that it does not move resident memory in steps.
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
