#!/usr/bin/env bash
# Makes sure Debian's redis-server binary is installed for the shared web cache test
# (test/web/shared-cache.e2e-spec.ts starts its own Redis on a loopback port; nothing here starts
# the system service). Does nothing when redis-server is already there.
set -euo pipefail

if command -v redis-server >/dev/null; then
  echo "ensure-redis: $(redis-server --version | head -1) is installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "ensure-redis: redis-server is missing and this user cannot install it (apt-get install redis-server as root)" >&2
    exit 1
  fi
fi
echo "ensure-redis: installing Debian's redis-server"
export DEBIAN_FRONTEND=noninteractive
# A policy that keeps the package's own service from starting: the test runs its own instance.
policy=/usr/sbin/policy-rc.d
created=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod +x "$policy" && created=1
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
[ -n "$created" ] && $SUDO rm -f "$policy"
echo "ensure-redis: $(redis-server --version | head -1) installed"
