#!/bin/bash
# dist/swim-boot.service: systemd accepts it as written (the binary's
# path pointed at one that exists), it is a oneshot ordered before swimd
# and the ordinary services, and its command line activates a pending
# image, or exits 0 saying none is pending.
set -eu
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

unit="$SWIM_SOURCE_DIR/dist/swim-boot.service"
grep -qx 'Type=oneshot' "$unit" || fail "not a oneshot"
grep -qx 'ExecStart=/usr/bin/swim --root / host boot' "$unit" || fail "ExecStart"
grep -q '^Before=.*sysinit.target' "$unit" || fail "not before sysinit.target"
grep -q '^Before=.*swimd.service' "$unit" || fail "not before swimd"
grep -q '^After=.*local-fs.target' "$unit" || fail "not after local-fs.target"
grep -qx 'WantedBy=sysinit.target' "$unit" || fail "WantedBy"

sed 's|/usr/bin/swim|/bin/true|' "$unit" >"$t/swim-boot.service"
if ! systemd-analyze verify "$t/swim-boot.service" >"$t/out" 2>&1; then
	fail "systemd-analyze: $(cat "$t/out")"
fi
[ ! -s "$t/out" ] || fail "systemd-analyze warns: $(cat "$t/out")"

# The unit's command, on a test root.
cmd=$(sed -n 's|^ExecStart=/usr/bin/swim --root / ||p' "$unit")
r=$t/root
mkdir "$r"
# shellcheck disable=SC2086
"$SWIM_BIN" --root "$r" $cmd >"$t/out" 2>&1 || fail "with nothing pending: $(cat "$t/out")"
grep -q "No image is pending; the current image stays." "$t/out" || fail "$(cat "$t/out")"
echo ok
