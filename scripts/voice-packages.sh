#!/usr/bin/env bash
# Installs the Debian packages the voices use, when they are missing: Festival with its Russian
# voice (festival, festvox-ru; also the Russian studio recordings the speech tests use) and the
# espeak-ng program (Piper voices phonemise through it). As root it installs them with apt-get;
# otherwise it says what is missing. Kömek runs without them: Russian is then spoken by
# eSpeak NG and English by Piper only where espeak-ng is present (eSpeak NG otherwise).
set -euo pipefail

missing=()
command -v festival >/dev/null 2>&1 || missing+=(festival)
[ -d /usr/share/festival/voices/russian/msu_ru_nsh_clunits ] || missing+=(festvox-ru)
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages for the voices: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages for the voices: ${missing[*]}"
  echo "Install them with: sudo apt-get install ${missing[*]}"
  echo "Until then Russian is spoken by eSpeak NG (and the tests that need them are skipped)."
fi
