#!/usr/bin/env bash
# A private PostgreSQL cluster for one checkout: its own port, data directory and socket directory,
# listening on loopback only, run as the postgres user (as Debian runs its own clusters) with pg_ctl.
#
#   deploy/postgres.sh start|stop|status|install|psql [DATABASE]|createdb NAME…
# (createdb: makes each database that is missing, owned by the account below; psql: a shell on one)
#
# Environment (defaults in brackets):
#   OPS_POSTGRES_PORT  port [5632]       OPS_POSTGRES_DIR  state directory [.local/postgres]
#   OPS_POSTGRES_OPTIONS  server settings for this start, e.g. "-c fsync=off" for a throw-away test cluster [none]
# The cluster's one login account, "ops", may create databases; its password is made at first start and
# kept in $OPS_POSTGRES_DIR/postgres.env (OPS_POSTGRES_PORT, OPS_POSTGRES_USER, OPS_POSTGRES_PASSWORD),
# readable by root only, for the services and tests to read.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
port=${OPS_POSTGRES_PORT:-5632}
dir=${OPS_POSTGRES_DIR:-$repo/.local/postgres}
data=$dir/data

install_server() {
  if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then return; fi
  echo "postgres: installing Debian's postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  # Debian's own cluster (port 5432) is not ours: ours is the private one below
  if command -v pg_ctlcluster >/dev/null; then
    for cluster in /etc/postgresql/*/main; do
      [ -d "$cluster" ] || continue
      version=$(basename "$(dirname "$cluster")")
      pg_ctlcluster "$version" main stop >/dev/null 2>&1 || true
    done
  fi
}

bin_dir() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

# Runs a command as the postgres user (root runs it as Debian does), or as ourselves when we are not root.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ctl() { as_postgres "$(bin_dir)/pg_ctl" -D "$data" "$@"; }

accepting() { "$(bin_dir)/pg_isready" -q -h 127.0.0.1 -p "$port" >/dev/null 2>&1; }

# Ours runs: the server of our data directory (another cluster may answer on the port; then ours cannot start).
running() { [ -f "$data/postmaster.pid" ] && ctl status >/dev/null 2>&1; }

cluster_env() {
  mkdir -p "$dir"
  if [ ! -f "$dir/postgres.env" ]; then
    # a new password only means anything to a new cluster: the account is made at initdb
    rm -rf "$data"
    local password; password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    (umask 077; printf 'OPS_POSTGRES_PORT=%s\nOPS_POSTGRES_USER=ops\nOPS_POSTGRES_PASSWORD=%s\n' "$port" "$password" > "$dir/postgres.env")
  fi
  # shellcheck disable=SC1091
  . "$dir/postgres.env"
  export PGPASSWORD=$OPS_POSTGRES_PASSWORD
}

init_cluster() {
  [ -f "$data/PG_VERSION" ] && return
  mkdir -p "$data" "$dir/run" "$dir/log"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$data" "$dir/run" "$dir/log"
  chmod 700 "$data"
  local pwfile; pwfile=$(mktemp)
  printf '%s\n' "$OPS_POSTGRES_PASSWORD" > "$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
  # The superuser is the postgres account, reached only over the socket directory; "ops" logs in with its password.
  as_postgres "$(bin_dir)/initdb" -D "$data" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -f "$pwfile"; exit 1; }
  rm -f "$pwfile"
  cat >> "$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/run'
max_connections = 300
shared_buffers = 128MB
log_min_messages = warning
EOF
  printf 'local all postgres peer\nhost all all 127.0.0.1/32 scram-sha-256\n' > "$data/pg_hba.conf"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$data/pg_hba.conf"
  touch "$dir/.new"
}

# The login account, made at the cluster's first start over the socket directory, where only postgres gets in.
make_account() {
  [ -f "$dir/.new" ] || return 0
  as_postgres "$(bin_dir)/psql" -q -h "$dir/run" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE ops LOGIN CREATEDB PASSWORD '$OPS_POSTGRES_PASSWORD'" >/dev/null
  rm -f "$dir/.new"
}

start() {
  install_server
  cluster_env
  init_cluster
  if ! running; then
    ctl -l "$dir/log/postgres.log" -o "${OPS_POSTGRES_OPTIONS:-}" -w -t 60 start >/dev/null || { tail -n 20 "$dir/log/postgres.log" >&2; exit 1; }
  fi
  make_account
  echo "postgres: ready on 127.0.0.1:$port (data in $data)"
}

stop() {
  [ -f "$data/postmaster.pid" ] && ctl -m fast -w stop >/dev/null 2>&1 || true
  echo "postgres: stopped"
}

createdbs() {
  cluster_env
  local name
  for name in "$@"; do
    if ! "$(bin_dir)/psql" -h 127.0.0.1 -p "$port" -U ops -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
      "$(bin_dir)/createdb" -h 127.0.0.1 -p "$port" -U ops "$name"
    fi
  done
}

case "${1:-}" in
  install) install_server ;;
  start) start ;;
  stop) stop ;;
  createdb) shift; createdbs "$@" ;;
  psql) cluster_env; exec "$(bin_dir)/psql" -h 127.0.0.1 -p "$port" -U ops -d "${2:-postgres}" ;;
  status) if running && accepting; then echo "postgres: running on 127.0.0.1:$port"; else echo "postgres: not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status|install|psql [DATABASE]|createdb NAME…" >&2; exit 2 ;;
esac
