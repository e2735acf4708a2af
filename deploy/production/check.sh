#!/usr/bin/env bash
# Checks the production deployment files that can be checked on one machine, without starting anything:
#   - the systemd units: `systemd-analyze verify` on instances 0 and 1 of each template and on ops-sla.target (keys,
#     values, the ExecStart program), with no warning; each unit's port for instance k is its service's + 10·k; the
#     assembly it runs is the service's;
#   - the nginx site: `nginx -t` on a test configuration that includes it, with certificates made here (self-signed)
#     and its logs in a temporary folder: nothing listens;
#   - the scripts' syntax (ops-admin, rabbitmq/setup.sh).
# Installs Debian's nginx-light (without starting it) and systemd's tools when they are missing. Run by ./deploy/test.sh.
# Not checked here (no systemd, no cluster, no real certificates): starting the units, the sandbox with a real build,
# ops-admin, the 3-node RabbitMQ cluster, TLS with the site's certificates, traffic through nginx.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
fail() { echo "deploy/production: $*" >&2; failed=1; }

install_packages() { # package…
  export DEBIAN_FRONTEND=noninteractive
  # Install without starting anything (the nginx package would start its default site on port 80).
  local guard=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && guard=1
  fi
  apt-get update -qq >/dev/null && apt-get install -y -qq "$@" >/dev/null || { [ -z "$guard" ] || rm -f /usr/sbin/policy-rc.d; return 1; }
  [ -z "$guard" ] || rm -f /usr/sbin/policy-rc.d
}
command -v systemd-analyze >/dev/null || install_packages systemd
command -v nginx >/dev/null || install_packages nginx-light
command -v openssl >/dev/null || install_packages openssl

# --- systemd units -------------------------------------------------------------------------------------------------
units=$work/units
mkdir -p "$units"
cp "$here"/systemd/*.service "$here"/systemd/*.target "$units"/
declare -A ports=([tickets]=5101 [sla-timer]=5102 [scoring]=5103 [console]=5100)
declare -A folders=([tickets]=Tickets [sla-timer]=SlaTimer [scoring]=Scoring [console]=Console)
instances=(ops-sla.target)
for name in "${!ports[@]}"; do
  unit=$here/systemd/ops-$name@.service
  [ -f "$unit" ] || { fail "no unit for $name ($unit)"; continue; }
  instances+=("ops-$name@0.service" "ops-$name@1.service")
  # ExecStart as the shell will run it for instance k=2: systemd turns $$ into $ and %i into the instance.
  command=$(sed -n 's/^ExecStart=\/bin\/sh -c //p' "$unit" | sed -e "s/^'//" -e "s/'\$//" -e 's/\$\$/$/g' -e 's/%i/2/g' -e 's/^exec /echo /')
  started=$(env -i PATH=/usr/bin:/bin sh -c "$command")
  expected="/usr/bin/dotnet /opt/ops-sla/$name/Ops.${folders[$name]}.dll --urls http://127.0.0.1:$((ports[$name] + 20))"
  [ "$started" = "$expected" ] || fail "ops-$name@2 would run '$started', not '$expected'"
  [ -f "$repo/services/${folders[$name]}/Ops.${folders[$name]}.csproj" ] || fail "ops-$name@.service runs Ops.${folders[$name]}.dll, which no project builds"
  grep -q "^ReadWritePaths=/var/lib/ops-sla/$name\$" "$unit" || fail "ops-$name@.service does not write its data folder only"
done
if ! output=$(SYSTEMD_UNIT_PATH="$units:" systemd-analyze verify "${instances[@]}" 2>&1) || [ -n "$output" ]; then
  fail "systemd-analyze verify ${instances[*]}:"$'\n'"$output"
else
  echo "deploy/production: systemd-analyze verify: ${#instances[@]} units, no warning"
fi

# --- nginx site ----------------------------------------------------------------------------------------------------
site=$work/nginx
mkdir -p "$site/logs"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ops.example.gov.cn" \
  -keyout "$site/privkey.pem" -out "$site/fullchain.pem" >/dev/null 2>&1
sed -e "s|/etc/ssl/ops-sla/|$site/|" -e "s|/var/log/nginx/|$site/logs/|" "$here/nginx/ops-sla.conf" > "$site/ops-sla.conf"
grep -q "$site/fullchain.pem" "$site/ops-sla.conf" || fail "the nginx site names no certificate at /etc/ssl/ops-sla/"
cat > "$site/nginx.conf" <<EOF
pid $site/nginx.pid;
error_log $site/logs/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    access_log $site/logs/access.log;
    client_body_temp_path $site/body;
    proxy_temp_path $site/proxy;
    include $site/ops-sla.conf;
}
EOF
if output=$(nginx -t -p "$site" -e "$site/logs/error.log" -c "$site/nginx.conf" 2>&1) && ! grep -q '\[warn\]' <<< "$output"; then
  echo "deploy/production: nginx -t: the site's configuration is valid"
else
  fail "nginx -t:"$'\n'"$output"
fi

# --- scripts -------------------------------------------------------------------------------------------------------
for script in "$here/ops-admin" "$here/rabbitmq/setup.sh"; do
  bash -n "$script" || fail "$script does not parse"
done

[ "$failed" = 0 ] || exit 1
echo "deploy/production: checked (untested here: the units started, the 3-node cluster, real certificates)"
