#!/bin/bash
# Host images end to end (docs/images.md): live or reboot-required for
# every combination of live-install-allowed, live-remove-allowed, a
# pending image and --no-live-install; maintenance mode with and without
# --maintenance-mode; two reboot-required changes stacked; boot
# activation; rollback then boot, rollback twice (before and across
# boots); the payload store after every step; repair and rollback with
# the depot deleted; gc and partial downloads; status and JSON.
set -eu
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
S=$SWIM_BIN
export MKVIB_DIR=$t
# shellcheck source=lib/mkvib.sh
. "$SWIM_SOURCE_DIR/tests/integration/lib/mkvib.sh"
# shellcheck source=lib/txn.sh
. "$SWIM_SOURCE_DIR/tests/integration/lib/txn.sh"

REBOOT="The update completed successfully, but the system needs to be rebooted for the changes to be effective."
# Every file under the root but swim's state, with its content.
manifest() {
	(cd "$r" && find . -path ./var/lib/swim -prune -o -printf '%p %y %m %l\n' | sort &&
		find . -path ./var/lib/swim -prune -o -type f -exec sha256sum {} + | sort)
}

v=$t/v
mkdir "$v"
for b in true false; do
	rm_flag=(); in_flag=()
	[ $b = true ] || { rm_flag=(--no-live-remove); in_flag=(--no-live-install); }
	mkvib "$v/a1-$b.vib" a 1.0-1 --file "opt/a/bin=a one" "${rm_flag[@]}"
	mkvib "$v/a2-$b.vib" a 2.0-1 --file "opt/a/bin=a two" "${in_flag[@]}"
done
mkvib "$v/p1.vib" p 1.0-1
mkvib "$v/n1.vib" n 1.0-1 --no-live --file "opt/n/x=n one"
mkvib "$v/q1.vib" q 1.0-1 --no-live-install --file "opt/q/x=q one"
mkvib "$v/z1.vib" z 1.0-1 --file "opt/z/x=z one"
mkvib "$v/m1.vib" m 1.0-1 --maintenance
mkvib "$v/mn1.vib" mn 1.0-1 --maintenance --no-live

# ---- live or reboot, every combination: a 1.0-1 (live removal allowed
# or not) is installed; the change upgrades it to 2.0-1 (live install
# allowed or not), with or without a pending image, with or without
# --no-live-install. Live only when all four allow it.
i=0
for IN in true false; do
for RM in true false; do
for P in no yes; do
for NL in no yes; do
	i=$((i + 1))
	what="install=$IN remove=$RM pending=$P --no-live-install=$NL"
	newroot "c$i"
	expect 0 "$S" --root "$r" vib install -v "$v/a1-$RM.vib"
	flags=()
	[ $NL = no ] || flags=(--no-live-install)
	before=""
	if [ $P = yes ]; then
		expect 0 "$S" --root "$r" vib install --no-live-install -v "$v/p1.vib"
		same_pending "a:1.0-1 p:1.0-1"
		before=" p:1.0-1"
	fi
	live=yes
	[ $IN = true ] && [ $RM = true ] && [ $P = no ] && [ $NL = no ] || live=no
	expect 0 "$S" --root "$r" vib install --dry-run "${flags[@]}" -v "$v/a2-$IN.vib"
	if [ $live = yes ]; then
		has "would install 1, remove 1 and skip 0 VIBs live." out
		has "Reboot Required: false" out
	else
		has "in the pending image (" out
		has "the system would need a reboot." out
		has "Reboot Required: true" out
	fi
	expect 0 "$S" --root "$r" vib install "${flags[@]}" -v "$v/a2-$IN.vib"
	has "VIBs Installed: test_bootbank_a_2.0-1" out
	has "VIBs Removed: test_bootbank_a_1.0-1" out
	if [ $live = yes ]; then
		has "Message: Operation finished successfully." out
		has "Reboot Required: false" out
		[ "$(cat "$r/opt/a/bin")" = "a two" ] || fail "$what: not live"
		same "a:2.0-1"
		same_pending none
	else
		has "Message: $REBOOT" out
		has "Reboot Required: true" out
		[ "$(cat "$r/opt/a/bin")" = "a one" ] || fail "$what: the running image changed"
		same "a:1.0-1"
		same_pending "a:2.0-1$before"
	fi
	clean
	store_exact
done
done
done
done
# Installing alone and removing alone.
newroot single
expect 0 "$S" --root "$r" vib install -v "$v/q1.vib"
has "Reboot Required: true" out
[ ! -e "$r/opt/q" ] || fail "reboot-required install wrote files"
expect 0 "$S" --root "$r" host boot
same "q:1.0-1"
expect 0 "$S" --root "$r" vib remove -n q
has "Reboot Required: false" out
same ""
expect 0 "$S" --root "$r" vib install -v "$v/a1-false.vib"
expect 0 "$S" --root "$r" vib remove -n a
has "Message: $REBOOT" out
has "Removal Result" out
[ -e "$r/opt/a/bin" ] || fail "reboot-required removal removed files"
same_pending ""
expect 0 "$S" --root "$r" --json vib install --dry-run -v "$v/p1.vib"
python3 - "$t/out" <<'EOF' || fail "dry-run JSON: $(cat "$t/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["RebootRequired"] is True and d["DryRun"] is True, d
assert "an image is pending" in d["Message"], d
EOF
store_exact

# ---- maintenance mode: a live change of a package requiring it is
# refused unless the host is in maintenance mode or --maintenance-mode;
# reboot-required changes are not affected.
newroot mm
expect 0 "$S" --root "$r" host maintenance get
[ "$(cat "$t/out")" = Disabled ] || fail "maintenance get: $(cat "$t/out")"
expect 1 "$S" --root "$r" vib install -v "$v/m1.vib"
has "Maintenance mode is required to install VIB test_bootbank_m_1.0-1 live; the host is not in maintenance mode." err
has "--maintenance-mode" err
expect 1 "$S" --root "$r" vib install --dry-run -v "$v/m1.vib"
has "Maintenance mode is required" err
same ""
expect 0 "$S" --root "$r" vib install --maintenance-mode -v "$v/m1.vib"
has "Reboot Required: false" out
same "m:1.0-1"
expect 1 "$S" --root "$r" vib remove -n m
has "Maintenance mode is required to remove VIB test_bootbank_m_1.0-1 live" err
expect 0 "$S" --root "$r" host maintenance enter
[ "$(cat "$t/out")" = Enabled ] || fail "maintenance enter: $(cat "$t/out")"
expect 0 "$S" --root "$r" --json host maintenance get
[ "$(tr -d ' \n' <"$t/out")" = '{"MaintenanceMode":true}' ] || fail "maintenance JSON: $(cat "$t/out")"
expect 0 "$S" --root "$r" host status
has "Maintenance Mode: Enabled" out
expect 0 "$S" --root "$r" vib remove -n m
has "Reboot Required: false" out
same ""
expect 0 "$S" --root "$r" host maintenance exit
[ "$(cat "$t/out")" = Disabled ] || fail "maintenance exit: $(cat "$t/out")"
expect 0 "$S" --root "$r" host maintenance exit
expect 0 "$S" --root "$r" host history
has "Operation: maintenance enter" out
has "Operation: maintenance exit" out
[ "$(grep -c "Operation: maintenance exit" "$t/out")" = 1 ] || fail "exit twice recorded twice"
# Reboot-required: --no-live-install, or a package that is not live
expect 0 "$S" --root "$r" vib install --no-live-install -v "$v/m1.vib"
has "Message: $REBOOT" out
expect 0 "$S" --root "$r" vib install -v "$v/mn1.vib"
has "Message: $REBOOT" out
same_pending "m:1.0-1 mn:1.0-1"
expect 0 "$S" --root "$r" host boot
same "m:1.0-1 mn:1.0-1"
# and the maintenance-mode package is then removed live only as allowed
expect 1 "$S" --root "$r" vib remove -n m
expect 0 "$S" --root "$r" vib remove --no-live-install -n m
same_pending "mn:1.0-1"
clean
store_exact

# ---- two reboot-required transactions stacked, then boot
newroot st
expect 0 "$S" --root "$r" vib install -v "$v/a1-true.vib"
expect 0 "$S" --root "$r" vib install -v "$v/n1.vib"
has "Message: $REBOOT" out
store_exact
expect 0 "$S" --root "$r" vib install -v "$v/q1.vib"
has "Message: $REBOOT" out
same_pending "a:1.0-1 n:1.0-1 q:1.0-1"
# a change that could be live builds on the pending image too
expect 0 "$S" --root "$r" vib remove -n a
has "Message: $REBOOT" out
same "a:1.0-1"
same_pending "n:1.0-1 q:1.0-1"
[ -e "$r/opt/a/bin" ] && [ ! -e "$r/opt/n" ] && [ ! -e "$r/opt/q" ] || fail "the running image changed"
clean
store_exact
expect 0 "$S" --root "$r" vib list --rebooting-image
grep -q "^n  *1.0-1 " "$t/out" || fail "vib list --rebooting-image: $(cat "$t/out")"
expect 0 "$S" --root "$r" vib get --rebooting-image -n q
has "Live Install Allowed: False" out
expect 0 "$S" --root "$r" host status
has "Current Image: (unnamed) (1 VIBs, built " out
has "Pending Image: (unnamed) (2 VIBs, built " out
has "Previous Image: (none)" out
has "Reboot Required: True" out
expect 0 "$S" --root "$r" host history
has "Reboot Required: true" out
expect 0 "$S" --root "$r" host boot
has "Boot Result" out
has "VIBs Installed: test_bootbank_n_1.0-1, test_bootbank_q_1.0-1" out
has "VIBs Removed: test_bootbank_a_1.0-1" out
same "n:1.0-1 q:1.0-1"
same_pending none
[ ! -e "$r/opt/a" ] && [ "$(cat "$r/opt/n/x")" = "n one" ] && [ "$(cat "$r/opt/q/x")" = "q one" ] ||
	fail "activation: $(find "$r/opt")"
clean
store_exact
expect 0 "$S" --root "$r" host status
has "Pending Image: (none)" out
has "Previous Image: (unnamed) (1 VIBs, built " out
has "Reboot Required: False" out
expect 0 "$S" --root "$r" host boot
[ "$(cat "$t/out")" = "Boot Result
   Message: No image is pending; the current image stays." ] || fail "boot with nothing pending: $(cat "$t/out")"
expect 0 "$S" --root "$r" host history
has "Operation: host boot" out

# ---- rollback
manifest >"$t/m-after"
expect 0 "$S" --root "$r" host rollback
has "The previous image (unnamed) is now pending" out
has "VIBs To Install: test_bootbank_a_1.0-1" out
has "VIBs To Remove: test_bootbank_n_1.0-1, test_bootbank_q_1.0-1" out
same_pending "a:1.0-1"
store_exact
# rolling back twice before a boot: nothing pending, where we were
expect 0 "$S" --root "$r" host rollback
has "cancelled: no image is pending" out
has "Pending Image Profile: (none)" out
same_pending none
same "n:1.0-1 q:1.0-1"
store_exact
# rollback then reboot
expect 0 "$S" --root "$r" host rollback
expect 0 "$S" --root "$r" host reboot
has "VIBs Installed: test_bootbank_a_1.0-1" out
same "a:1.0-1"
same_pending none
[ "$(cat "$r/opt/a/bin")" = "a one" ] && [ ! -e "$r/opt/n" ] || fail "rollback not activated"
clean
store_exact
expect 0 "$S" --root "$r" host history
has "Operation: host reboot" out
has "Operation: host rollback" out
# rollback, boot, rollback, boot: where we started
expect 0 "$S" --root "$r" host rollback
expect 0 "$S" --root "$r" host boot
same "n:1.0-1 q:1.0-1"
manifest >"$t/m-again"
cmp -s "$t/m-after" "$t/m-again" || fail "rollback twice: $(diff "$t/m-after" "$t/m-again")"
clean
store_exact
# a rollback discards what reboot-required changes staged
expect 0 "$S" --root "$r" vib install --no-live-install -v "$v/z1.vib"
same_pending "n:1.0-1 q:1.0-1 z:1.0-1"
expect 0 "$S" --root "$r" --json host rollback
python3 - "$t/out" <<'EOF' || fail "rollback JSON: $(cat "$t/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert "discarded" in d["Message"], d
assert d["VIBsToInstall"] == ["test_bootbank_a_1.0-1"], d
assert d["VIBsToRemove"] == ["test_bootbank_n_1.0-1", "test_bootbank_q_1.0-1"], d
EOF
same_pending "a:1.0-1"
store_exact
expect 0 "$S" --root "$r" host rollback
same_pending none
store_exact
newroot np
expect 1 "$S" --root "$r" host rollback
has "There is no previous image to roll back to." err

# ---- the depot deleted: repair, boot and rollback from the store
mkdir "$t/pd"
"$SWIM_PACK_BIN" profile new --name Base-1 --vendor test --acceptance community \
	--vib test_bootbank_a_1.0-1 -o "$t/pd/base.xml" >/dev/null
"$SWIM_PACK_BIN" depot build --vib "$v/a1-true.vib" --vib "$v/n1.vib" \
	--profile "$t/pd/base.xml" -o "$t/depot" >/dev/null
newroot dd
expect 0 "$S" --root "$r" profile install -d "$t/depot" -p Base-1
expect 0 "$S" --root "$r" vib install -d "$t/depot" -n n
has "Message: $REBOOT" out
expect 0 "$S" --root "$r" profile get --rebooting-image
[ "$(head -1 "$t/out")" = "(Updated) Base-1" ] || fail "pending profile: $(head -1 "$t/out")"
expect 0 "$S" --root "$r" profile get
[ "$(head -1 "$t/out")" = "Base-1" ] || fail "current profile: $(head -1 "$t/out")"
rm -rf "$t/depot"
echo damaged >"$r/opt/a/bin"
expect 1 "$S" --root "$r" vib verify
expect 0 "$S" --root "$r" vib repair --dry-run
has "Dry run only, host not changed. Would repair 1 file of VIB test_bootbank_a_1.0-1." out
grep -q damaged "$r/opt/a/bin" || fail "dry run repaired"
expect 0 "$S" --root "$r" vib repair
has "Repair Result" out
has "Message: Repaired 1 file of VIB test_bootbank_a_1.0-1." out
has "Files Repaired: 1" out
clean
expect 0 "$S" --root "$r" vib repair
has "Nothing to repair: every file verifies." out
expect 0 "$S" --root "$r" host boot
same "a:1.0-1 n:1.0-1"
expect 0 "$S" --root "$r" host status
has "Previous Image: Base-1 (1 VIBs, built " out
has "Image Profile: (Updated) Base-1" out
clean
rm -rf "$r/opt/n"
expect 0 "$S" --root "$r" --json vib repair -n n
python3 - "$t/out" <<'EOF' || fail "repair JSON: $(cat "$t/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["VIBsRepaired"] == ["test_bootbank_n_1.0-1"] and d["FilesRepaired"] == 2, d
EOF
clean
expect 0 "$S" --root "$r" host rollback
expect 0 "$S" --root "$r" host boot
same "a:1.0-1"
clean
expect 0 "$S" --root "$r" host rollback
expect 0 "$S" --root "$r" host boot
same "a:1.0-1 n:1.0-1"
clean
store_exact

# ---- repair: a hard link, a directory's mode, a whole directory
mkdir -p "$t/ht/opt/h/sub"
echo one >"$t/ht/opt/h/f1"
ln "$t/ht/opt/h/f1" "$t/ht/opt/h/f2"
echo sub >"$t/ht/opt/h/sub/s"
cat >"$t/h.xml" <<'XML'
<vib version="5.0"><type>bootbank</type><name>h</name><version>1.0-1</version>
<vendor>test</vendor><summary>hard links</summary>
<acceptance-level>community</acceptance-level>
<live-install-allowed>true</live-install-allowed>
<live-remove-allowed>true</live-remove-allowed></vib>
XML
"$SWIM_PACK_BIN" vib build --descriptor "$t/h.xml" --payload "p=$t/ht" -o "$v/h1.vib" >/dev/null
newroot rp
expect 0 "$S" --root "$r" vib install -v "$v/h1.vib"
rm "$r/opt/h/f2"
chmod 700 "$r/opt/h"
expect 1 "$S" --root "$r" vib verify
has "missing     /opt/h/f2" out
has ".M......    /opt/h" out
expect 0 "$S" --root "$r" vib repair
has "Files Repaired: 2" out
[ "$(cat "$r/opt/h/f2")" = one ] || fail "hard link not repaired"
clean
rm -rf "$r/opt/h/sub"
expect 0 "$S" --root "$r" vib repair -n h
has "Files Repaired: 2" out
clean
# a payload the store lost: repair fails, nothing changes
sha=$(python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT sha256 FROM store").fetchone()[0])' "$r/var/lib/swim/swim.db")
mv "$r/var/lib/swim/store/${sha:0:2}/$sha" "$t/saved"
echo damaged >"$r/opt/h/f1"
expect 1 "$S" --root "$r" vib repair
has "the payload store lacks" err
grep -q damaged "$r/opt/h/f1" || fail "a failed repair changed files"
mv "$t/saved" "$r/var/lib/swim/store/${sha:0:2}/$sha"
expect 0 "$S" --root "$r" vib repair
clean

# ---- activation needs every payload; a failed one leaves the image pending
expect 0 "$S" --root "$r" vib install -v "$v/n1.vib"
sha=$(python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT pp.sha256 FROM package_payloads pp JOIN packages p"
                 " ON p.pkg = pp.pkg WHERE p.name = ?", ("n",)).fetchone()[0])' "$r/var/lib/swim/swim.db")
mv "$r/var/lib/swim/store/${sha:0:2}/$sha" "$t/saved"
expect 1 "$S" --root "$r" host boot
has "the payload store lacks" err
same "h:1.0-1"
same_pending "h:1.0-1 n:1.0-1"
[ ! -e "$r/opt/n" ] || fail "a failed activation left files"
clean
mv "$t/saved" "$r/var/lib/swim/store/${sha:0:2}/$sha"
expect 0 "$S" --root "$r" --json host boot
python3 - "$t/out" <<'EOF' || fail "boot JSON: $(cat "$t/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["Activated"] is True and d["VIBsInstalled"] == ["test_bootbank_n_1.0-1"], d
assert d["VIBsRemoved"] == [] and d["PayloadsRemoved"] == 0, d
EOF
clean
store_exact
expect 0 "$S" --root "$r" host history
has "Result: failed" out

# ---- gc: strays, partial downloads, leftovers of staging
mkdir -p "$r/var/lib/swim/staging" "$r/var/lib/swim/store/ff"
stray=$(printf 'f%.0s' $(seq 64))
echo junk >"$r/var/lib/swim/store/ff/$stray"
echo junk >"$r/var/lib/swim/store/ff/.tmp-$stray"
echo part >"$r/var/lib/swim/staging/v0.vib.part-AbC123"
expect 0 "$S" --root "$r" host gc
has "Removed 0 payloads (0 bytes) that no image needs; the store keeps 2 payloads" out
[ ! -e "$r/var/lib/swim/store/ff/$stray" ] && [ ! -e "$r/var/lib/swim/store/ff/.tmp-$stray" ] ||
	fail "gc left strays"
[ -z "$(ls -A "$r/var/lib/swim/staging")" ] || fail "gc left a partial download"
store_exact
expect 0 "$S" --root "$r" --json host gc
python3 - "$t/out" <<'EOF' || fail "gc JSON: $(cat "$t/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["PayloadsRemoved"] == 0 and d["Payloads"] == 2 and d["Bytes"] > 0, d
EOF
# Every writer empties the staging area at start.
echo part >"$r/var/lib/swim/staging/d1.vib.part-XyZ987"
expect 0 "$S" --root "$r" host maintenance enter
[ -z "$(ls -A "$r/var/lib/swim/staging")" ] || fail "a writer left a partial download"
expect 0 "$S" --root "$r" --json host status
python3 - "$t/out" <<'EOF' || fail "status JSON: $(cat "$t/out")"
import json, sys
s = json.load(open(sys.argv[1]))
im = {i["Slot"]: i for i in s["Images"]}
assert set(im) == {"current", "previous"}, im
assert im["current"]["VIBs"] == 2 and im["previous"]["VIBs"] == 1, im
assert im["current"]["Created"].endswith("Z") and s["RebootRequired"] is False, s
EOF
echo "images_cli: ok"
