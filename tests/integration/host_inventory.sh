#!/bin/bash
# The host inventory through the CLI: an empty root, depots, installed
# packages (put in place by tests/tools/hostseed as the transaction engine
# records them), the image profile, the acceptance level, status and
# history, --json, the lock, and read-only use by a user who may read but
# not write the root.
set -eu
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
chmod 755 "$t"
fail() { echo "FAIL: $*" >&2; exit 1; }
S=$SWIM_BIN
seed=$SWIM_TEST_TOOLS/hostseed
D=$SWIM_TEST_DATA/descriptors
r=$t/root
mkdir "$r"

# expect STATUS CMD...: runs CMD, output in $t/out and $t/err.
expect() {
	local want=$1 got=0
	shift
	"$@" >"$t/out" 2>"$t/err" || got=$?
	[ "$got" = "$want" ] || fail "$* exited $got, not $want: $(cat "$t/err")"
}
has() { grep -qF -- "$1" "$t/$2" || fail "'$1' not in $2: $(cat "$t/$2")"; }

# ---- an empty root: read-only commands report an empty host, create nothing
expect 0 "$S" --root "$r" host status
has "Database: none yet (an empty host)" out
has "VIBs Installed: 0" out
expect 0 "$S" --root "$r" vib list
has "Name  Version  Vendor  Acceptance Level  Install Date" out
expect 0 "$S" --root "$r" acceptance get
[ "$(cat "$t/out")" = PartnerSupported ] || fail "default level: $(cat "$t/out")"
expect 0 "$S" --root "$r" --json profile get
has '"VibList": []' out
expect 0 "$S" --root "$r" depot list
expect 0 "$S" --root "$r" host history
[ -z "$(ls -A "$r")" ] || fail "read-only commands wrote into the root: $(ls -A "$r")"
expect 1 "$S" --root "$r" vib list --rebooting-image
has "there is no pending image" err
expect 1 "$S" --root "$t/nowhere" host status
has "root $t/nowhere does not exist" err
touch "$t/file"
expect 1 "$S" --root "$t/file" depot add a /a
has "is not a directory" err

# ---- depots (the first write creates the database)
expect 0 "$S" --root "$r" depot add vendor https://depot.example/index.xml
has "Depot 'vendor' added: https://depot.example/index.xml" out
[ -f "$r/var/lib/swim/swim.db" ] || fail "no database after depot add"
mkdir "$t/localdepot"
(cd "$t" && expect 0 "$S" --root "$r" depot add local localdepot)
has "Depot 'local' added: $t/localdepot" out
expect 1 "$S" --root "$r" depot add vendor /elsewhere
has "a depot named 'vendor' exists already" err
expect 1 "$S" --root "$r" depot add 'bad name' /x
has "may only hold letters" err
expect 2 "$S" --root "$r" depot add onlyname
expect 0 "$S" --root "$r" depot disable local
has "Depot 'local' disabled" out
expect 0 "$S" --root "$r" depot list
has "local   $t/localdepot" out
grep -q "^local .* false " "$t/out" || fail "local not disabled: $(cat "$t/out")"
expect 0 "$S" --root "$r" depot enable local
expect 0 "$S" --root "$r" --json depot list
python3 - "$t/out" <<'EOF' || fail "depot list JSON: $(cat "$t/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert [x["Name"] for x in d] == ["local", "vendor"], d
assert set(d[0]) == {"Name", "DepotUrl", "Enabled", "Added"}, d[0]
assert d[0]["Enabled"] is True and d[1]["DepotUrl"] == "https://depot.example/index.xml"
EOF
expect 0 "$S" --root "$r" depot remove local
expect 1 "$S" --root "$r" depot remove local
has "no depot named 'local'" err

# ---- installed packages
"$seed" "$r" --profile "ESXi-8.0U2-standard" --vendor "VMware, Inc." \
	--signer "CN=swim test" --source https://depot.example/index.xml \
	"$D/certified-driver.xml" "$D/relations.xml"
"$seed" "$r" --level community --source /srv/acme.vib \
	--inconsistent "--force (vib install)" "$D/community-full.xml"
expect 0 "$S" --root "$r" vib list
has "Name              Version                        Vendor     Acceptance Level    Install Date" out
grep -q "^nigx  *1.4.2.0-8vmw.700.1.0.15843807  *VMW  *VMwareCertified  *2020-10-07$" "$t/out" ||
	fail "nigx row: $(cat "$t/out")"
grep -q "^acme-fan-control  *2.1.0-3.acme  *Acme Labs  *CommunitySupported  *[0-9-]\{10\}$" "$t/out" ||
	fail "acme row: $(cat "$t/out")"
expect 0 "$S" --root "$r" vib get -n VMware:tools-bundle -n nigx:1.4.2.0-8vmw.700.1.0.15843807
[ "$(head -1 "$t/out")" = "VMware_locker_tools-bundle_3:12.1.5-20735119" ] || fail "vib get order"
has "VMW_bootbank_nigx_1.4.2.0-8vmw.700.1.0.15843807" out
has "   Acceptance Level: VMwareAccepted" out
has "   Live Install Allowed: True" out
expect 1 "$S" --root "$r" vib get -n nosuch
has "No VIB matching VIB search specification 'nosuch'." err
expect 0 "$S" --root "$r" --json vib list
python3 - "$t/out" <<'EOF' || fail "vib list JSON: $(cat "$t/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert [x["Name"] for x in d] == ["acme-fan-control", "nigx", "tools-bundle"]
n = d[1]
assert n["Guid"] == "VMW_bootbank_nigx_1.4.2.0-8vmw.700.1.0.15843807"
assert n["ProvenAcceptanceLevel"] == "VMwareCertified" and n["Signer"] == "CN=swim test"
assert n["SourceUrls"] == ["https://depot.example/index.xml"]
assert n["InstallDate"] == "2020-10-07T11:36:17.746295+00:00"
assert d[0]["Signer"] is None and d[0]["ProvenAcceptanceLevel"] == "CommunitySupported"
EOF

# ---- the image profile, renamed when changed package by package
expect 0 "$S" --root "$r" profile get
[ "$(head -1 "$t/out")" = "(Updated) ESXi-8.0U2-standard" ] || fail "profile heading: $(head -1 "$t/out")"
has "   Vendor: VMware, Inc." out
has "   Stateless Ready: False" out
has "   VIBs: Acme Labs_bootbank_acme-fan-control_2.1.0-3.acme, VMW_bootbank_nigx_1.4.2.0-8vmw.700.1.0.15843807, VMware_locker_tools-bundle_3:12.1.5-20735119" out
"$seed" "$r" --pending "$D/minimal.xml"
expect 0 "$S" --root "$r" vib list --rebooting-image
has "hello " out
expect 0 "$S" --root "$r" vib list
grep -q "^hello " "$t/out" && fail "pending package listed as installed"
expect 0 "$S" --root "$r" --json profile get --rebooting-image
python3 - "$t/out" <<'EOF' || fail "profile JSON: $(cat "$t/out")"
import json, sys
p = json.load(open(sys.argv[1]))
assert p["Name"] == "(Updated) ESXi-8.0U2-standard", p["Name"]
assert "example_bootbank_hello_1.0" in p["VibList"] and len(p["VibList"]) == 4
assert len(p["GUID"]) == 32 and p["StatelessReady"] is False
EOF

# ---- acceptance level
expect 1 "$S" --root "$r" acceptance set --level VMwareCertified
has "Unable to set acceptance level of certified due to installed VIBs Acme Labs_bootbank_acme-fan-control_2.1.0-3.acme, VMware_locker_tools-bundle_3:12.1.5-20735119, example_bootbank_hello_1.0 having a lower acceptance level." err
expect 2 "$S" --root "$r" acceptance set --level Partner
expect 2 "$S" --root "$r" acceptance set
expect 0 "$S" --root "$r" acceptance set --level community
has "Host acceptance level changed to 'CommunitySupported'." out
expect 0 "$S" --root "$r" --json acceptance get
[ "$(tr -d ' \n' <"$t/out")" = '{"AcceptanceLevel":"CommunitySupported"}' ] || fail "acceptance JSON"

# ---- status and history
expect 0 "$S" --root "$r" host status
has "Image Profile: (Updated) ESXi-8.0U2-standard" out
has "Pending Image: (Updated) ESXi-8.0U2-standard (4 VIBs, built " out
has "Reboot Required: True" out
has "VIBs Installed: 3" out
has "Consistent: False" out
has "Warning: The host is not consistent since" out
has ": --force (vib install). The next transaction without --force or --no-sig-check makes it consistent again." out
expect 0 "$S" --root "$r" --json host status
python3 - "$t/out" <<'EOF' || fail "status JSON: $(cat "$t/out")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["Consistent"] is False and s["InconsistencyReason"] == "--force (vib install)"
assert s["RebootRequired"] is True and s["InstalledVibs"] == 3
assert s["AcceptanceLevel"] == "CommunitySupported" and s["MaintenanceMode"] is False
assert len(s["Warnings"]) == 1 and s["LockHolder"] is None
EOF
expect 0 "$S" --root "$r" host history
has "Command: swim depot add vendor https://depot.example/index.xml" out
has "Message: Host acceptance level changed to 'CommunitySupported'." out
has "VIBs Installed: Acme Labs_bootbank_acme-fan-control_2.1.0-3.acme" out
expect 0 "$S" --root "$r" --json host history --last 2
python3 - "$t/out" <<'EOF' || fail "history JSON: $(cat "$t/out")"
import json, sys
h = json.load(open(sys.argv[1]))
assert len(h) == 2, h
assert h[0]["VIBsInstalled"] == ["example_bootbank_hello_1.0"] and h[0]["RebootRequired"] is True
assert h[1]["Operation"] == "acceptance set" and h[1]["Result"] == "success"
EOF

# ---- the lock: a second writer names the holder, waits, gives up
mkdir -p "$r/etc/swim"
echo "lock_timeout_seconds = 1" >"$r/etc/swim/swim.conf"
python3 - "$r/var/lib/swim/lock" "$t/holding" <<'EOF' &
import fcntl, os, struct, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack("hhqqi4x", fcntl.F_WRLCK, 0, 0, 0, 0))
os.ftruncate(fd, 0)
os.pwrite(fd, b"%d\nswim vib install -n big\n" % os.getpid(), 0)
open(sys.argv[2], "w").close()
time.sleep(30)
EOF
holder=$!
for _ in $(seq 100); do [ -e "$t/holding" ] && break; sleep 0.05; done
expect 1 "$S" --root "$r" depot add late /late
has "Waiting for the lock held by $holder (swim vib install -n big)" err
has "is locked by $holder (swim vib install -n big); gave up after 1 seconds (lock_timeout_seconds)" err
expect 0 "$S" --root "$r" host status
has "Transaction In Progress: $holder (swim vib install -n big)" out
kill -9 $holder
wait $holder 2>/dev/null || true
expect 0 "$S" --root "$r" depot add late /late
rm "$r/etc/swim/swim.conf"

# ---- a user who may read but not write the root
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	chmod -R a+rX "$r"
	snapshot() { (cd "$r" && find . -printf '%p %s %T@\n' | sort); }
	snapshot >"$t/before"
	for cmd in "vib list" "vib get -n nigx" "profile get" "acceptance get" \
	           "host status" "host history" "depot list" "--json vib list"; do
		# shellcheck disable=SC2086
		expect 0 nobody "$S" --root "$r" $cmd
	done
	expect 0 nobody "$S" --root "$r" vib list
	has "nigx" out
	snapshot >"$t/after"
	cmp -s "$t/before" "$t/after" || fail "a read-only command changed the root: $(diff "$t/before" "$t/after")"
	expect 1 nobody "$S" --root "$r" depot add x /x
	has "Permission denied" err
	# Without the WAL files (a database copied elsewhere) it still reads.
	rm -f "$r/var/lib/swim/swim.db-wal" "$r/var/lib/swim/swim.db-shm"
	expect 0 nobody "$S" --root "$r" host status
	has "VIBs Installed: 3" out
	[ ! -e "$r/var/lib/swim/swim.db-wal" ] || fail "a reader made the WAL file"
else
	echo "host_inventory: unprivileged read-only part skipped (needs root and setpriv)"
fi

# ---- a database newer than this swim is refused, naming both versions
sqlite3 "$r/var/lib/swim/swim.db" "PRAGMA user_version = 42"
expect 1 "$S" --root "$r" vib list
has "has schema version 42, newer than version 3 that this swim knows; use a newer swim" err
echo "host_inventory: ok"
