#!/usr/bin/env bash
# Debian packages of the scaled profile (make run-scaled): PostgreSQL, Redis, nginx.
# Idempotent: installs only what is missing; nothing is started or enabled as a system service
# (ops/scaled.py runs private instances on loopback with their data under var/scaled/).
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing from Debian: ${missing[*]}"
exec "$(dirname "$0")/install-debian.sh" "${missing[@]}"
