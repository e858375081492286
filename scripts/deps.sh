#!/usr/bin/env bash
# Installs what labimpact needs to build, run and test on Debian 12: the -dev
# packages, the test tools, and the npm modules from package-lock.json.
# Idempotent: installs only what is missing; safe to run on every `make`.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  build-essential pkg-config clang libclang-rt-14-dev
  libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev
  libsodium-dev libcurl4-openssl-dev libxlsxwriter-dev libcmocka-dev
  postgresql postgresql-contrib wrk nginx-light
  chromium fonts-dejavu-core valgrind john-data sqlmap
  libpango1.0-dev libcairo2-dev fonts-noto-core fonts-noto-cjk libqrencode-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev poppler-utils python3-openpyxl
)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm: Debian's packages only when the machine has none (an
# existing Node.js from elsewhere conflicts with Debian's npm package).
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "deps: installing ${missing[*]}"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm modules: bootstrap-italia (front end), playwright-core + axe-core (tests),
# the OpenAPI linter. Never lets a tool download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
