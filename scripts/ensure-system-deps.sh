#!/usr/bin/env bash
# Installs the Debian packages the test suites need, only when they are missing:
# Chromium (real browser), Firefox ESR (the Firefox build's e2e test, over WebDriver BiDi),
# Xvfb (display for OBS), OBS Studio (obs-websocket 5 built in), Redis (scale-out tests),
# HAProxy (a real load balancer in front of several relays) and
# Noto CJK fonts (Chinese product names in screenshots).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/firefox-esr ] || need+=(firefox-esr)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
command -v xdpyinfo >/dev/null 2>&1 || need+=(x11-utils)
command -v obs >/dev/null 2>&1 || need+=(obs-studio)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# /usr/sbin is not on every user's PATH: look for the binary where Debian puts it.
[ -x /usr/sbin/haproxy ] || command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "Installing Debian packages: ${need[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
