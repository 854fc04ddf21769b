#!/usr/bin/env bash
# Installs the Debian packages the tests use, when they are missing: Chromium (browser tests),
# PostgreSQL and Redis (migrations, and alert workers in several processes), Hunspell
# dictionaries (spelling of the content) and docker-compose (checks docker-compose.yml; no
# Docker engine is needed). As root it installs them with apt-get; otherwise it
# says what is missing and how to install it, and the tests that need them are skipped (not in CI).
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
for dictionary in kk_KZ ru_RU en_US en_GB; do
  [ -f "/usr/share/hunspell/$dictionary.dic" ] && continue
  case $dictionary in
    kk_KZ) missing+=(hunspell-kk) ;;
    ru_RU) missing+=(hunspell-ru) ;;
    en_US) missing+=(hunspell-en-us) ;;
    en_GB) missing+=(hunspell-en-gb) ;;
  esac
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The test suite starts its own PostgreSQL on 127.0.0.1; the packaged service is not needed.
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    service postgresql stop >/dev/null 2>&1 || true
  fi
  service redis-server stop >/dev/null 2>&1 || true
else
  echo "Missing Debian packages: ${missing[*]}"
  echo "Install them with: sudo apt-get install ${missing[*]}"
  echo "Until then the tests that need them are skipped (in CI they fail)."
fi
