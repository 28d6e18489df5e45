#!/bin/bash
# Transactions end to end through the CLI, libsolv-style cases on real
# packages built by swim-pack and installed into a temporary root:
# install, dependencies from a depot, update, downgrade, remove with
# reverse dependencies, conflicts, replaces, provides and virtual
# packages, file conflicts and overlays, acceptance refusal, --force,
# --no-sig-check and signatures, dry runs, live-install refusal, profiles,
# results (text and JSON), history, and vib verify.
set -eu
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
S=$SWIM_BIN
export MKVIB_DIR=$t
# shellcheck source=lib/mkvib.sh
. "$SWIM_SOURCE_DIR/tests/integration/lib/mkvib.sh"
# shellcheck source=lib/txn.sh
. "$SWIM_SOURCE_DIR/tests/integration/lib/txn.sh"

v=$t/v
mkdir "$v"
mkvib "$v/a1.vib" a 1.0-1 --file "opt/a/bin=a one" --file "opt/a/lib/x=x1" --link "opt/a/cur=bin"
mkvib "$v/a2.vib" a 2.0-1 --file "opt/a/bin=a two" --file "opt/a/lib/y=y2"
mkvib "$v/b1.vib" b 1.0-1 --dep "a >= 1.0"
mkvib "$v/b2.vib" b 2.0-1 --dep "a >= 2.0"
mkvib "$v/c1.vib" c 1.0-1 --conflict "a << 2.0"
mkvib "$v/r1.vib" r 1.0-1 --replace "a"
mkvib "$v/p1.vib" p 1.0-1 --provide "virt 1.0"
mkvib "$v/u1.vib" u 1.0-1 --dep "virt >= 1.0"
mkvib "$v/f1.vib" f 1.0-1 --file "opt/a/bin=f stole it"
mkvib "$v/o1.vib" o 1.0-1 --overlay --file "opt/a/bin=overlaid"
mkvib "$v/n1.vib" n 1.0-1 --no-live
mkvib "$v/m1.vib" m 1.0-1 --dep "missing >= 1"
"$SWIM_PACK_BIN" depot build --vib "$v/a1.vib" --vib "$v/a2.vib" --vib "$v/b1.vib" \
	--vib "$v/b2.vib" --vib "$v/c1.vib" --vib "$v/r1.vib" --vib "$v/p1.vib" \
	--vib "$v/u1.vib" -o "$t/depot" >/dev/null

# ---- install a file; the result block as esxcli prints it
newroot 1
expect 0 "$S" --root "$r" vib install -v "$v/a1.vib"
[ "$(cat "$t/out")" = "Installation Result
   Message: Operation finished successfully.
   Reboot Required: false
   VIBs Installed: test_bootbank_a_1.0-1
   VIBs Removed:
   VIBs Skipped:" ] || fail "result block: $(cat "$t/out")"
[ "$(cat "$r/opt/a/bin")" = "a one" ] || fail "opt/a/bin not installed"
[ "$(readlink "$r/opt/a/cur")" = bin ] || fail "symlink not installed"
same "a:1.0-1"
clean
# Installing it again changes nothing.
expect 0 "$S" --root "$r" vib install -v "$v/a1.vib"
has "Message: Host is not changed." out
has "VIBs Skipped: test_bootbank_a_1.0-1" out

# ---- dependencies from a depot; update; downgrade
expect 0 "$S" --root "$r" vib install -d "$t/depot" -n b:1.0-1
has "VIBs Installed: test_bootbank_b_1.0-1" out
same "a:1.0-1 b:1.0-1"
expect 0 "$S" --root "$r" vib update -d "$t/depot" -n a
has "VIBs Installed: test_bootbank_a_2.0-1" out
has "VIBs Removed: test_bootbank_a_1.0-1" out
[ "$(cat "$r/opt/a/bin")" = "a two" ] || fail "upgrade did not replace opt/a/bin"
[ ! -e "$r/opt/a/lib/x" ] && [ ! -L "$r/opt/a/cur" ] || fail "upgrade left old files"
clean
# update only upgrades: asking for the installed version is skipped
expect 0 "$S" --root "$r" vib update -d "$t/depot" -n a:1.0-1
has "VIBs Skipped: test_bootbank_a_1.0-1" out
same "a:2.0-1 b:1.0-1"
# vib install downgrades
expect 0 "$S" --root "$r" vib install -d "$t/depot" -n a:1.0-1
has "VIBs Installed: test_bootbank_a_1.0-1" out
has "VIBs Removed: test_bootbank_a_2.0-1" out
[ "$(cat "$r/opt/a/bin")" = "a one" ] && [ -f "$r/opt/a/lib/x" ] || fail "downgrade"
clean
# vib update without names: everything the depot has newer
expect 0 "$S" --root "$r" vib update -d "$t/depot"
same "a:2.0-1 b:2.0-1"
clean

# ---- remove with reverse dependencies
expect 1 "$S" --root "$r" vib remove -n a
has "VIB test_bootbank_a_2.0-1 cannot be removed: installed VIB test_bootbank_b_2.0-1 requires a >= 2.0." err
has "solution: remove VIB test_bootbank_b_2.0-1" err
same "a:2.0-1 b:2.0-1"
expect 0 "$S" --root "$r" vib remove -n b -n a
has "VIBs Removed: test_bootbank_a_2.0-1, test_bootbank_b_2.0-1" out
same ""
[ -z "$(ls -A "$r/opt" 2>/dev/null)" ] || fail "remove left files: $(find "$r/opt")"
clean
expect 1 "$S" --root "$r" vib remove -n nosuch
has "No VIB matching VIB search specification 'nosuch'" err

# ---- conflicts, replaces, provides and virtual packages
newroot 2
expect 0 "$S" --root "$r" vib install -v "$v/a1.vib"
expect 1 "$S" --root "$r" vib install -v "$v/c1.vib"
has "test_bootbank_c_1.0-1" err
has "conflicts" err
same "a:1.0-1"
expect 0 "$S" --root "$r" vib install -v "$v/r1.vib"
has "VIBs Installed: test_bootbank_r_1.0-1" out
has "VIBs Removed: test_bootbank_a_1.0-1" out
same "r:1.0-1"
[ ! -e "$r/opt/a" ] || fail "replaced package left files"
expect 0 "$S" --root "$r" vib install -d "$t/depot" -n u
has "VIBs Installed: test_bootbank_p_1.0-1, test_bootbank_u_1.0-1" out
expect 1 "$S" --root "$r" vib install -v "$v/m1.vib"
has "VIB test_bootbank_m_1.0-1 requires missing >= 1, but no VIB provides missing." err
clean

# ---- file conflicts and overlays (the overlay's file wins; removing it
# restores the other package's file from the payload store)
newroot 3
expect 0 "$S" --root "$r" vib install -v "$v/a1.vib"
expect 1 "$S" --root "$r" vib install -v "$v/f1.vib"
has "VIB test_bootbank_a_1.0-1 and VIB test_bootbank_f_1.0-1 both contain the file opt/a/bin" err
expect 0 "$S" --root "$r" vib install -v "$v/o1.vib"
[ "$(cat "$r/opt/a/bin")" = overlaid ] || fail "overlay did not win"
clean
expect 0 "$S" --root "$r" vib remove -n o
[ "$(cat "$r/opt/a/bin")" = "a one" ] || fail "overlay removal did not restore opt/a/bin"
clean

# ---- acceptance, signatures, --force and --no-sig-check
newroot 4
"$S" --root "$r" acceptance set --level partner >/dev/null
expect 1 "$S" --root "$r" vib install -v "$v/a1.vib"
has "VIB test_bootbank_a_1.0-1's acceptance level is community, which is not compliant with the host acceptance level partner" err
same ""
"$SWIM_PACK_BIN" keygen --dir "$t/keys" >/dev/null
mkvib "$v/s1.vib" s 1.0-1 --level partner
cp "$v/s1.vib" "$v/s1-unsigned.vib"
"$SWIM_PACK_BIN" vib sign --key "$t/keys/partner.key" --cert "$t/keys/partner.crt" "$v/s1.vib" >/dev/null
mkdir -p "$r/etc/swim"
cp -r "$t/keys/trust" "$r/etc/swim/trust"
expect 1 "$S" --root "$r" vib install -v "$v/s1-unsigned.vib"
has "Could not find a trusted signer" err
expect 0 "$S" --root "$r" vib install -v "$v/s1.vib"
"$S" --root "$r" vib list >"$t/out"
has "PartnerSupported" out
expect 0 "$S" --root "$r" host status
has "Consistent: True" out
# --no-sig-check: the claimed level counts; the host is inconsistent
expect 0 "$S" --root "$r" vib remove -n s
expect 0 "$S" --root "$r" vib install --no-sig-check -v "$v/s1-unsigned.vib"
has "The host is not consistent" err
expect 0 "$S" --root "$r" host status
has "Consistent: False" out
has "--no-sig-check (vib install)" out
# a transaction without a bypass makes it consistent again
expect 0 "$S" --root "$r" vib remove -n s
expect 0 "$S" --root "$r" host status
has "Consistent: True" out
# --force: no dependency check, no acceptance check
expect 0 "$S" --root "$r" vib install -f -v "$v/m1.vib"
same "m:1.0-1"
expect 0 "$S" --root "$r" --json host status
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["Consistent"] is False, d' "$t/out" ||
	fail "host status after --force: $(cat "$t/out")"
clean
# a tampered signature is refused even with --force
cp "$v/s1.vib" "$v/s1-tampered.vib"
python3 - "$v/s1-tampered.vib" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
i = b.index(b"<summary>s for tests") + len("<summary>")
b[i] = ord("S")
open(p, "wb").write(bytes(b))
EOF
expect 1 "$S" --root "$r" vib install -f -v "$v/s1-tampered.vib"
has "sig.pkcs7" err

# ---- dry runs, live install, debug-solver, JSON
newroot 5
expect 0 "$S" --root "$r" vib install --dry-run -v "$v/a1.vib"
has "Dry run only, host not changed." out
has "VIBs Installed: test_bootbank_a_1.0-1" out
same ""
[ ! -e "$r/opt" ] || fail "dry run wrote files"
expect 1 "$S" --root "$r" vib install -v "$v/n1.vib"
has "cannot be installed live" err
has "reboot-required" err
expect 1 "$S" --root "$r" vib install -v "$v/m1.vib" --debug-solver "$t/dbg"
[ -f "$t/dbg/testcase.t" ] || fail "no solver testcase"
expect 0 "$S" --root "$r" --json vib install -v "$v/a1.vib"
python3 - "$t/out" <<'EOF' || fail "install JSON: $(cat "$t/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["Message"] == "Operation finished successfully.", d
assert d["VIBsInstalled"] == ["test_bootbank_a_1.0-1"] and d["VIBsRemoved"] == [], d
assert d["RebootRequired"] is False and d["Consistent"] is True, d
assert d["Problems"] == [], d
EOF
expect 1 "$S" --root "$r" --json vib install -v "$v/c1.vib"
python3 - "$t/out" <<'EOF' || fail "problem JSON: $(cat "$t/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["Problems"] and d["Problems"][0]["Kind"] == "Dependency", d
EOF
expect 0 "$S" --root "$r" host history
has "Operation: vib install" out
has "VIBs Installed: test_bootbank_a_1.0-1" out

# ---- a package may not write swim's own state
mkvib "$v/evil.vib" evil 1.0-1 --file "var/lib/swim/swim.db=gotcha"
expect 1 "$S" --root "$r" vib install -v "$v/evil.vib"
has "inside swim's own state directory" err

# ---- verify: what it reports for each kind of change
newroot 6
expect 0 "$S" --root "$r" vib install -v "$v/a1.vib"
echo "changed!" >"$r/opt/a/bin"
touch -d @1 "$r/opt/a/bin"
chmod 600 "$r/opt/a/lib/x"
ln -sfn elsewhere "$r/opt/a/cur"
expect 1 "$S" --root "$r" vib verify
has "S.5....T    /opt/a/bin" out
has ".M......    /opt/a/lib/x" out
has "S...L...    /opt/a/cur" out
rm "$r/opt/a/lib/x"
expect 1 "$S" --root "$r" vib verify -n a
has "missing     /opt/a/lib/x" out
expect 1 "$S" --root "$r" --json vib verify
python3 - "$t/out" <<'EOF' || fail "verify JSON: $(cat "$t/out")"
import json, sys
d = json.load(open(sys.argv[1]))
f = {x["Name"]: x for x in d["Files"]}
assert d["FilesFailed"] == 3, d
assert f["opt/a/lib/x"]["FailedFlags"] == [0] and f["opt/a/lib/x"]["FileExists"] is False
assert f["opt/a/bin"]["FailedFlags"] == [1, 3, 8], f["opt/a/bin"]
assert f["opt/a/cur"]["FailedFlags"] == [1, 5], f["opt/a/cur"]
assert f["opt/a/bin"]["FileChecksumOriginal"] != f["opt/a/bin"]["FileChecksum"]
assert f["opt/a/cur"]["LinkTargetOriginal"] == "bin" and f["opt/a/cur"]["LinkTarget"] == "elsewhere"
EOF
expect 1 "$S" --root "$r" vib verify -n nosuch
has "No VIB matching VIB search specification 'nosuch'." err

# ---- profiles from a depot, and configured depots
mkdir "$t/pd"
"$SWIM_PACK_BIN" profile new --name Base-1 --vendor test --acceptance community \
	--vib test_bootbank_a_2.0-1 --vib test_bootbank_b_2.0-1 -o "$t/pd/base.xml" >/dev/null
"$SWIM_PACK_BIN" depot build --vib "$v/a1.vib" --vib "$v/a2.vib" --vib "$v/b2.vib" \
	--vib "$v/p1.vib" --profile "$t/pd/base.xml" -o "$t/pdepot" >/dev/null
newroot 7
"$S" --root "$r" depot add main "$t/pdepot" >/dev/null
expect 0 "$S" --root "$r" vib install -n p
expect 1 "$S" --root "$r" profile validate -p Base-1
has "Compliant: false" out
has "VIBs Only On Host: test_bootbank_p_1.0-1" out
has "VIBs Only In Profile: test_bootbank_a_2.0-1, test_bootbank_b_2.0-1" out
expect 1 "$S" --root "$r" profile install -p Base-1
has "test_bootbank_p_1.0-1" err
same "p:1.0-1"
expect 0 "$S" --root "$r" profile update -p Base-1
has "Update Result" out
same "a:2.0-1 b:2.0-1 p:1.0-1"
expect 0 "$S" --root "$r" profile get
has "(Updated) Base-1" out
expect 0 "$S" --root "$r" profile install -p Base-1 --ok-to-remove
has "VIBs Removed: test_bootbank_p_1.0-1" out
same "a:2.0-1 b:2.0-1"
expect 0 "$S" --root "$r" profile get
[ "$(head -1 "$t/out")" = Base-1 ] || fail "profile name: $(head -1 "$t/out")"
expect 0 "$S" --root "$r" profile validate -p Base-1
has "Compliant: true" out
clean
expect 0 "$S" --root "$r" depot refresh
has "Depot 'main' refreshed: 4 VIBs, 1 image profiles" out
# sources without -d read the configured depots too
expect 0 "$S" --root "$r" sources vib list
grep -q "^p  *1.0-1  *test" "$t/out" || fail "sources without -d: $(cat "$t/out")"
echo "txn_cli: ok"
