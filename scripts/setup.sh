#!/usr/bin/env bash
# Installs the Debian packages Unum builds and tests with, skipping those
# already present. Idempotent; safe to run before every build.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev uuid-dev
  libsqlite3-dev
  libhiredis-dev redis-server
  libssl-dev libcurl4-openssl-dev
  graphviz libcpp-httplib-dev
  chromium chromium-driver  # the unum ui browser test (tests/ui-browser)
  libzip-dev
  libjemalloc-dev  # the allocator of the unum executables
  libpcre2-dev  # regular expressions of the JSONata evaluator
  # tests/lambda/zip_portability_test.sh unpacks the zips
  unzip
)
# Callers add packages only they need (scripts/fuzz.sh: clang).
read -r -a extra <<<"${EXTRA_PACKAGES:-}"
PACKAGES+=("${extra[@]}")

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
