#!/bin/bash
# dist/swimd.service: systemd accepts it as written (with the binary's
# path pointed at one that exists), it waits for swimd's READY=1, reloads
# with SIGHUP, and gives a stop more time than swimd's grace period.
set -eu
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

unit="$SWIM_SOURCE_DIR/dist/swimd.service"
grep -qx 'Type=notify' "$unit" || fail "not Type=notify"
grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$unit" || fail "reload is not SIGHUP"
grep -q -- '--pid-file /run/swimd/swimd.pid' "$unit" || fail "no --pid-file"
grep -qx 'PIDFile=/run/swimd/swimd.pid' "$unit" || fail "PIDFile differs from --pid-file"
stop=$(sed -n 's/^TimeoutStopSec=//p' "$unit")
grace=$(grep -o 'http_shutdown_grace_seconds, [0-9]*' "$SWIM_SOURCE_DIR/include/swim/limits.h" | grep -o '[0-9]*$')
[ "$stop" -gt "$grace" ] || fail "TimeoutStopSec=$stop is not above the $grace s grace period"

sed 's|/usr/sbin/swimd|/bin/true|' "$unit" >"$t/swimd.service"
if ! systemd-analyze verify "$t/swimd.service" >"$t/out" 2>&1; then
	fail "systemd-analyze: $(cat "$t/out")"
fi
[ ! -s "$t/out" ] || fail "systemd-analyze warns: $(cat "$t/out")"
echo ok
