#!/usr/bin/env bash
# The README's two commands, for a fresh Debian 12 machine that may not
# even have make:
#   bash scripts/quickstart.sh graph   install, build, write out/diplomacy.{ttl,trig}
#   bash scripts/quickstart.sh test    install, build, run every test layer
# Installs the Debian packages first (scripts/install-deps.sh, apt-get as
# root), then runs `make graph` or `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
graph | test) ;;
*)
  echo "usage: bash scripts/quickstart.sh graph|test" >&2
  exit 2
  ;;
esac
bash scripts/install-deps.sh
exec make "$1"
