#!/usr/bin/env bash
# Set-up, build, serve and test pufa on a fresh Debian/Ubuntu machine (Python 3.11+).
#   bash dev.sh serve   install what is missing, build everything (site, campaign slides, videos and
#                       posts), serve on http://127.0.0.1:8000
#   bash dev.sh test    install what is missing, then lint, check the law quotes, run all tests
set -euo pipefail
cd "$(dirname "$0")"

# System packages: venv support, Debian's Chromium (browser tests), a local CJK font (slides and
# cards), nginx (served like production), ffmpeg (LED videos).
APT_PACKAGES=(python3-venv chromium fonts-noto-cjk nginx libnginx-mod-http-brotli-static ffmpeg)
REFERENCE=${PUFA_REFERENCE:-../shared/reference/laws}

apt_setup() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

py_setup() {
  [ -x .venv/bin/python ] || python3 -m venv .venv
  # Reinstall only when the pinned requirements change.
  local stamp=.venv/.pufa-installed want
  want=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv/bin/pip install -q --disable-pip-version-check -c requirements.lock -e '.[test]'
    echo "$want" > "$stamp"
  fi
  # Bytecode for our own modules, as pip writes it for every installed package (an editable
  # install has none, and with PYTHONDONTWRITEBYTECODE set every pufa run would compile them
  # again: about 0.1 s before a build starts). Only changed files are compiled.
  .venv/bin/python -m compileall -q scripts > /dev/null
}

node_setup() {
  # Browser-side test tools (axe-core), pinned in package-lock.json.
  if ! command -v npm >/dev/null; then
    APT_PACKAGES=(nodejs npm)
    apt_setup
  fi
  [ -f node_modules/axe-core/axe.min.js ] && [ node_modules/.package-lock.json -nt package-lock.json ] \
    || npm ci --no-audit --no-fund --silent
}

setup() { apt_setup; py_setup; }

case "${1:-}" in
  serve)
    setup
    ref=()
    [ -d "$REFERENCE" ] && ref=(--reference "$REFERENCE")
    # Campaign outputs first (LED slides, videos, posts; cached), so the site links them.
    .venv/bin/pufa campaign build --all
    exec .venv/bin/pufa serve "${ref[@]}" "${@:2}"
    ;;
  test)
    setup
    node_setup
    .venv/bin/ruff check scripts tests
    .venv/bin/ruff format --check scripts tests
    .venv/bin/pufa check --reference "$REFERENCE"
    exec .venv/bin/python -m pytest "${@:2}"
    ;;
  *)
    echo "usage: bash dev.sh serve | test" >&2
    exit 2
    ;;
esac
