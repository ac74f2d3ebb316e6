#!/usr/bin/env bash
# Debian packages the platform needs beyond Python and Node: `scripts/system-deps.sh run|test|smoke|bench`.
set -euo pipefail

need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
# WeasyPrint renders with Pango; fonts with full Vietnamese coverage.
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ "${1:-run}" = "test" ]; then
    [ -x /usr/bin/chromium ] || need+=(chromium)
    command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fi
if [ "${1:-run}" = "smoke" ]; then
    # The production topology (scripts/prod-smoke.sh): the proxy, Redis, pg_dump and openssl.
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
    command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
    command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)
    command -v openssl >/dev/null 2>&1 || need+=(openssl)
fi
if [ "${1:-run}" = "bench" ]; then
    # scripts/bench_pages.py: the load generator and its own Redis (PostgreSQL: scripts/testdb.sh).
    command -v wrk >/dev/null 2>&1 || need+=(wrk)
    command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
fi

if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" != "0" ]; then
        echo "Missing Debian packages: ${need[*]}. Install them with: sudo apt-get install ${need[*]}" >&2
        exit 1
    fi
    echo "Installing Debian packages: ${need[*]}"
    # Packages such as nginx and redis-server start their service when installed; the tests
    # start their own servers on loopback, so nothing may be started here.
    policy=/usr/sbin/policy-rc.d
    own_policy=""
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && own_policy=1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    if [ -n "$own_policy" ]; then rm -f "$policy"; fi
fi
