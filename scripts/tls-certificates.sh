#!/usr/bin/env bash
# A private CA and certificates signed by it, for the encrypted links between the pool's servers
# (MariaDB, RabbitMQ, and client certificates if you want them). docs/RUNBOOK.md "Encrypted links"
# walks through it; the TLS end-to-end test (test/deploy/encrypted-links.e2e-spec.ts) runs it too.
#
#   scripts/tls-certificates.sh DIR NAME [SAN ...]
#
# DIR   where the files go (created if missing). The CA (ca.crt, ca.key) is made once and reused:
#       run the script again with another NAME for each server or client of the same CA.
# NAME  NAME.crt / NAME.key, CN=NAME. Valid for server and client authentication.
# SAN   the DNS names and IP addresses clients use to reach it (default: localhost 127.0.0.1).
#       `verify-full` (MySQL) and amqps:// check that the host in the URL is one of them.
#
# DAYS (default 825) is the certificate's lifetime, CA_DAYS (3650) the CA's; KEY_BITS 2048.
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
dir=$1 name=$2
shift 2
sans=("$@")
[ ${#sans[@]} -gt 0 ] || sans=(localhost 127.0.0.1)
days=${DAYS:-825} ca_days=${CA_DAYS:-3650} bits=${KEY_BITS:-2048}

mkdir -p "$dir"
umask 077
if [ ! -s "$dir/ca.key" ] || [ ! -s "$dir/ca.crt" ]; then
  openssl req -x509 -newkey "rsa:$bits" -nodes -days "$ca_days" -subj "/CN=Purepool CA $(date -u +%Y%m%d%H%M%S)" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  echo "tls-certificates: new CA $dir/ca.crt"
fi

alt=""
for san in "${sans[@]}"; do
  if [[ $san =~ ^[0-9.]+$ || $san == *:* ]]; then alt+="IP:$san,"; else alt+="DNS:$san,"; fi
done
alt=${alt%,}

ext=$(mktemp)
trap 'rm -f "$ext" "$dir/$name.csr"' EXIT
cat >"$ext" <<EOF
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=$alt
EOF
openssl req -newkey "rsa:$bits" -nodes -subj "/CN=$name" -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
  -days "$days" -extfile "$ext" -out "$dir/$name.crt" 2>/dev/null
# Servers read their key as their own user (mysql, rabbitmq): readable by the group, not the world.
chmod 640 "$dir/$name.key"
chmod 644 "$dir/ca.crt" "$dir/$name.crt"
echo "tls-certificates: $dir/$name.crt for $alt (valid $days days)"
