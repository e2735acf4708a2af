#!/usr/bin/env bash
# Once, on one node of the production cluster after the three have joined (rabbitmqctl cluster_status lists them):
# the services' account and the policy of the private broker (deploy/rabbitmq.sh). Run as root.
#
#   OPS_RABBITMQ_PASSWORD='<the RabbitMq__Password of /etc/ops-sla/ops.env>' ./setup.sh
#
# The services declare their own queues and exchanges; with RabbitMq__QuorumQueues=true their queues are quorum queues,
# one replica on each node (the cluster's size when they are declared: declare them after the three have joined).
# UNTESTED here as a whole (no cluster); the same commands run on the private broker in every test run.
set -euo pipefail
: "${OPS_RABBITMQ_PASSWORD:?set OPS_RABBITMQ_PASSWORD (SECRET; make: head -c 18 /dev/urandom | base64 | tr -d '/+=')}"
user=${OPS_RABBITMQ_USER:-ops-sla}

rabbitmqctl await_startup
rabbitmqctl cluster_status
# The password on standard input, not the command line, where other users of the node could see it.
if rabbitmqctl -q list_users | cut -f1 | grep -qx "$user"; then
  printf '%s' "$OPS_RABBITMQ_PASSWORD" | rabbitmqctl change_password "$user"
else
  printf '%s' "$OPS_RABBITMQ_PASSWORD" | rabbitmqctl add_user "$user"
fi
rabbitmqctl set_permissions -p / "$user" '.*' '.*' '.*'
# The README's policy: a classic queue (a test's, an observer's) keeps its backlog on disk. Quorum queues ignore
# queue-mode; they keep theirs on disk anyway.
rabbitmqctl set_policy --apply-to queues backlogs-on-disk '.*' '{"queue-mode":"lazy"}'
# Nobody else: the default guest account goes.
rabbitmqctl delete_user guest 2>/dev/null || true
