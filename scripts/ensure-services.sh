#!/usr/bin/env bash
# Starts the local MariaDB and RabbitMQ when they are installed but not running, and waits until
# each answers. Does nothing for a service that already answers. Used by .ci/run, db:setup and demo.
set -euo pipefail

wait_for() { # name, check command, seconds
  local name=$1 check=$2 limit=$3
  for _ in $(seq 1 "$limit"); do
    if eval "$check" >/dev/null 2>&1; then echo "ensure-services: $name is up"; return 0; fi
    sleep 1
  done
  echo "ensure-services: $name did not come up within ${limit}s" >&2
  return 1
}

mysql_up='mysqladmin --protocol=tcp -h 127.0.0.1 -P 3306 -uroot ping'
if ! eval "$mysql_up" >/dev/null 2>&1; then
  if [ -x /usr/sbin/mariadbd ]; then
    echo "ensure-services: starting MariaDB"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  elif command -v service >/dev/null && service --status-all 2>/dev/null | grep -q mariadb; then
    service mariadb start
  else
    echo "ensure-services: MariaDB is not running and not installed here (set DATABASE_ADMIN_URL to a reachable server)" >&2
  fi
  wait_for MariaDB "$mysql_up" 60
fi

rabbit_up='rabbitmq-diagnostics -q check_port_connectivity'
if command -v rabbitmq-diagnostics >/dev/null; then
  if ! eval "$rabbit_up" >/dev/null 2>&1; then
    echo "ensure-services: starting RabbitMQ"
    rabbitmq-server -detached || true
    wait_for RabbitMQ "$rabbit_up" 90
  fi
else
  echo "ensure-services: rabbitmq-server is not installed here (set the AMQP URLs to a reachable broker)" >&2
fi
