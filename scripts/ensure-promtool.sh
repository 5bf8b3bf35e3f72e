#!/usr/bin/env bash
# Makes sure `promtool` is installed for the alert-rule tests (test/monitoring): Debian's
# `prometheus` package ships it. Does nothing when promtool is already on the PATH. Only the
# binary is wanted: the package's Prometheus daemon is kept from starting during the install
# (policy-rc.d) and stopped and disabled afterwards, so nothing is left listening on :9090.
# Needs root (or sudo) and the Debian archive on a machine where it is missing.
set -euo pipefail

PROMTOOL=${PROMTOOL_PATH:-promtool}

if command -v "$PROMTOOL" >/dev/null; then
  echo "ensure-promtool: $("$PROMTOOL" --version 2>&1 | head -n 1) is installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "ensure-promtool: promtool is missing and this user cannot install it (apt-get install prometheus as root)" >&2
    exit 1
  fi
fi

POLICY=/usr/sbin/policy-rc.d
own_policy=""
if [ ! -e "$POLICY" ]; then
  # invoke-rc.d asks this script before starting a service: 101 = not now.
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  own_policy=1
fi
cleanup() { if [ -n "$own_policy" ]; then $SUDO rm -f "$POLICY"; fi; }
trap cleanup EXIT

echo "ensure-promtool: installing Debian's prometheus package (for promtool only)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null

# On a systemd machine the package enables its unit for the next boot: not wanted either.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
elif [ -x /etc/init.d/prometheus ]; then
  $SUDO /etc/init.d/prometheus stop >/dev/null 2>&1 || true
  if command -v update-rc.d >/dev/null; then $SUDO update-rc.d prometheus disable >/dev/null 2>&1 || true; fi
fi

echo "ensure-promtool: $(promtool --version 2>&1 | head -n 1) installed"
