#!/usr/bin/env bash
# The browser tests (test/browser, `npm run test:browser`) drive Debian's chromium through
# playwright-core. Installs it when /usr/bin/chromium (or $KUBESIM_CHROMIUM) is missing; needs root
# or sudo and apt-get (Debian/Ubuntu). An out-of-date package list is refreshed and tried again.
set -euo pipefail
browser="${KUBESIM_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$browser" ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y --no-install-recommends chromium || {
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends chromium
}
"$browser" --version
