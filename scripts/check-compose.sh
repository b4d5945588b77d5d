#!/usr/bin/env bash
# Parses docker-compose.yml with whichever compose client is installed; no engine needed.
set -euo pipefail
cd "$(dirname "$0")/.."
if docker compose version >/dev/null 2>&1; then
  docker compose config -q
elif command -v docker-compose >/dev/null 2>&1; then
  docker-compose config -q
else
  echo "no compose client: install the Docker compose plugin, or 'apt-get install docker-compose'" >&2
  exit 1
fi
echo "docker-compose.yml parses"
