#!/usr/bin/env bash
# Install Debian packages without starting their system-wide services.
# Usage: ops/install-debian.sh PACKAGE...   (used by make test for redis-server and by install-scaled.sh)
# policy-rc.d 101 keeps postinst scripts from starting daemons on the default ports: the project
# runs its own private instances on loopback with their data under the project folder.
set -euo pipefail

[ $# -gt 0 ] || exit 0
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
$SUDO apt-get update -qq
policy=/usr/sbin/policy-rc.d
created_policy=
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  created_policy=1
fi
trap '[ -n "$created_policy" ] && $SUDO rm -f "$policy"' EXIT
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@"
