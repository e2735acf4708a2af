#!/usr/bin/env bash
# A private RabbitMQ broker for one checkout: its own port, data directory, Erlang cookie and epmd,
# listening on loopback only, started as an ordinary background process (no systemd needed).
#
#   deploy/rabbitmq.sh start|stop|status|install|queues [VHOST]|vhost add|delete VHOST
# (queues: each queue's name, ready and unacknowledged message counts, the policy that applies to it and its type,
# classic or quorum; vhost add: a virtual host the "ops" account may use, with the policy below; vhost delete: it and
# its queues)
# Every queue keeps its messages on disk rather than in the broker's memory (the policy "backlogs-on-disk",
# set at each start): a service that is down for an hour comes back to a backlog the broker did not have
# to hold in memory, and it is published faster after an outage (docs/performance.md#the-broker).
# A broker of your own for production should have the same policy:
#   rabbitmqctl set_policy --apply-to queues backlogs-on-disk '.*' '{"queue-mode":"lazy"}'
#
# Environment (defaults in brackets):
#   OPS_RABBITMQ_PORT  AMQP port [5682]       OPS_RABBITMQ_DIR  state directory [.local/rabbitmq]
#   OPS_RABBITMQ_SCHEDULERS  the Erlang VM's scheduler threads [half the cores, at least 1]: the broker
#   shares the machine with the three services, and fewer schedulers contend less with them for the cores
#   (docs/performance.md#the-broker).
# The Erlang distribution port is AMQP + 20000 and the private epmd listens on AMQP − 1200.
# The broker's only account, "ops", gets a random password at first start, kept in $OPS_RABBITMQ_DIR/amqp.env
# (OPS_RABBITMQ_PORT, OPS_RABBITMQ_USER, OPS_RABBITMQ_PASSWORD) for the services to read.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
port=${OPS_RABBITMQ_PORT:-5682}
dir=${OPS_RABBITMQ_DIR:-$repo/.local/rabbitmq}
bin=/usr/lib/rabbitmq/bin

install_broker() {
  if [ -x "$bin/rabbitmq-server" ]; then return; fi
  echo "rabbitmq: installing Debian's rabbitmq-server" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq rabbitmq-server >/dev/null
  # the package starts nothing we use: our broker is the private one below
}

broker_env() {
  mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
  if [ ! -f "$dir/amqp.env" ]; then
    # a new password only means anything to a new broker: the account is made at the first boot
    rm -rf "$dir/mnesia" && mkdir -p "$dir/mnesia"
    local password; password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    umask 077
    printf 'OPS_RABBITMQ_PORT=%s\nOPS_RABBITMQ_USER=ops\nOPS_RABBITMQ_PASSWORD=%s\n' "$port" "$password" > "$dir/amqp.env"
  fi
  # shellcheck disable=SC1091
  . "$dir/amqp.env"
  : > "$dir/rabbitmq-env.conf"
  umask 077
  printf 'listeners.tcp.1 = 127.0.0.1:%s\ndefault_user = %s\ndefault_pass = %s\n' "$port" "$OPS_RABBITMQ_USER" "$OPS_RABBITMQ_PASSWORD" > "$dir/rabbitmq.conf"
  echo "[]." > "$dir/enabled_plugins"
  export HOME=$dir/home
  export RABBITMQ_NODENAME=ops$port@localhost
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT=$port
  export RABBITMQ_DIST_PORT=$((port + 20000))
  export ERL_EPMD_PORT=$((port - 1200))
  export ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_MNESIA_BASE=$dir/mnesia
  export RABBITMQ_LOG_BASE=$dir/log
  export RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf
  export RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
  export RABBITMQ_PID_FILE=$dir/rabbitmq.pid
  export RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf
  local schedulers=${OPS_RABBITMQ_SCHEDULERS:-$((($(nproc) + 1) / 2))}
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} +S $schedulers:$schedulers"
  export RABBITMQ_CTL_DIST_PORT_MIN=$((port + 21000))
  export RABBITMQ_CTL_DIST_PORT_MAX=$((port + 21010))
}

# A stopped broker may linger as a zombie (PID 1 here does not reap), so look at the state, not kill -0.
alive() {
  local pid=$1 state
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

accepting() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

start() {
  install_broker
  broker_env
  if [ -f "$dir/server.pid" ] && alive "$(cat "$dir/server.pid")" && accepting; then
    # the policy too, in case the start that launched it gave up waiting before it could set it
    "$bin/rabbitmqctl" -n "$RABBITMQ_NODENAME" -q set_policy --apply-to queues backlogs-on-disk '.*' '{"queue-mode":"lazy"}' >/dev/null
    echo "rabbitmq: already running on 127.0.0.1:$port"; return
  fi
  setsid "$bin/rabbitmq-server" >"$dir/log/console.log" 2>&1 < /dev/null &
  echo $! > "$dir/server.pid"
  for _ in $(seq 1 120); do
    if accepting; then
      "$bin/rabbitmqctl" -n "$RABBITMQ_NODENAME" -q set_policy --apply-to queues backlogs-on-disk '.*' '{"queue-mode":"lazy"}' >/dev/null
      echo "rabbitmq: ready on 127.0.0.1:$port (data in $dir)"; return
    fi
    if ! alive "$(cat "$dir/server.pid")"; then
      echo "rabbitmq: the broker exited; see $dir/log" >&2; tail -n 20 "$dir/log/console.log" >&2; exit 1
    fi
    sleep 0.5
  done
  echo "rabbitmq: not accepting connections after 60 s; see $dir/log" >&2; exit 1
}

stop() {
  broker_env
  if [ -f "$dir/server.pid" ]; then
    "$bin/rabbitmqctl" -n "$RABBITMQ_NODENAME" stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 || true
    local pid; pid=$(cat "$dir/server.pid")
    # the whole session (server script, beam, its helpers) goes when the broker is gone
    for _ in $(seq 1 40); do alive "$pid" || break; sleep 0.5; done
    kill -TERM -- "-$pid" 2>/dev/null || true
    rm -f "$dir/server.pid"
  fi
  epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 || true
  echo "rabbitmq: stopped"
}

case "${1:-}" in
  install) install_broker ;;
  start) start ;;
  stop) stop ;;
  queues) broker_env; "$bin/rabbitmqctl" -n "$RABBITMQ_NODENAME" -q list_queues -p "${2:-/}" name messages_ready messages_unacknowledged policy type ;;
  vhost)
    broker_env
    name=${3:?usage: $0 vhost add|delete NAME}
    case "${2:-}" in
      add)
        "$bin/rabbitmqctl" -n "$RABBITMQ_NODENAME" -q add_vhost "$name" >/dev/null
        "$bin/rabbitmqctl" -n "$RABBITMQ_NODENAME" -q set_permissions -p "$name" "$OPS_RABBITMQ_USER" '.*' '.*' '.*' >/dev/null
        "$bin/rabbitmqctl" -n "$RABBITMQ_NODENAME" -q set_policy -p "$name" --apply-to queues backlogs-on-disk '.*' '{"queue-mode":"lazy"}' >/dev/null ;;
      delete) "$bin/rabbitmqctl" -n "$RABBITMQ_NODENAME" -q delete_vhost "$name" >/dev/null ;;
      *) echo "usage: $0 vhost add|delete NAME" >&2; exit 2 ;;
    esac ;;
  status) broker_env; if accepting; then echo "rabbitmq: running on 127.0.0.1:$port"; else echo "rabbitmq: not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status|install|queues [VHOST]|vhost add|delete VHOST" >&2; exit 2 ;;
esac
