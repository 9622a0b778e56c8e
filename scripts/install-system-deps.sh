#!/usr/bin/env bash
# Installs what the browser tests need from Debian: chromium and the TLWG Thai fonts.
# Does nothing when both are present; needs root (or sudo) otherwise.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list :lang=th 2>/dev/null | grep -qi tlwg || need+=(fonts-thai-tlwg-otf)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing ${need[*]} (Debian packages) for the browser tests" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
