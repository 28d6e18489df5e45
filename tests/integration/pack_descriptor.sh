#!/bin/bash
# swim-pack descriptor check: the esxcli field block, --json with the
# member names docs/json.md lists, and errors that name the file, the
# line and the element.
set -u
pack=${SWIM_PACK_BIN:?}
data=${SWIM_TEST_DATA:?}/descriptors
docs=${SWIM_SOURCE_DIR:?}/docs/json.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# run NAME ARGS...: stdout to $tmp/out, stderr to $tmp/err, status in $rc
run() {
	"$pack" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

expect_line() {
	grep -qxF -- "$1" "$tmp/out" || fail "$2: no line '$1' in:$(printf '\n'; cat "$tmp/out")"
}

# The field block: id first, then esxcli's fields in esxcli's order.
run descriptor check "$data/certified-driver.xml"
[ "$rc" -eq 0 ] || fail "certified-driver: exit $rc: $(cat "$tmp/err")"
[ ! -s "$tmp/err" ] || fail "certified-driver: stderr not empty: $(cat "$tmp/err")"
[ "$(head -1 "$tmp/out")" = "VMW_bootbank_nigx_1.4.2.0-8vmw.700.1.0.15843807" ] ||
	fail "certified-driver: first line is $(head -1 "$tmp/out")"
labels=$(tail -n +2 "$tmp/out" | sed -n 's/^   \([A-Za-z ]*\):.*/\1/p' | paste -sd '|')
want="Name|Version|Type|Vendor|Acceptance Level|Summary|Description|ReferenceURLs|Creation Date|Depends|Conflicts|Replaces|Provides|Maintenance Mode Required|Hardware Platforms Required|Live Install Allowed|Live Remove Allowed|Stateless Ready|Overlay|Tags|Payloads|Platforms"
[ "$labels" = "$want" ] || fail "field order: $labels"
expect_line "   Acceptance Level: VMwareCertified" certified-driver
expect_line "   Creation Date: 2020-03-16" certified-driver
expect_line "   Depends: vmkapi_2_6_0_0, esx-version >= 7.0.0" certified-driver
expect_line "   Provides: nigx = 1.4.2.0-8vmw.700.1.0.15843807" certified-driver
expect_line "   Maintenance Mode Required: True" certified-driver
expect_line "   Live Install Allowed: False" certified-driver
expect_line "   Payloads: nigx" certified-driver
grep -q '^   Tags: RestrictStickyFiles, PCIID 808610a7, .*, module, driver$' "$tmp/out" ||
	fail "certified-driver: tags"

run descriptor check "$data/community-full.xml"
[ "$rc" -eq 0 ] || fail "community-full: exit $rc: $(cat "$tmp/err")"
expect_line "   Acceptance Level: CommunitySupported" community-full
expect_line "   Replaces: acme-fand << 2.0" community-full
expect_line "   Provides: acme-fan-control = 2.1.0-3.acme, acme.fan-api = 2.1, acme.fan-cli" community-full
expect_line "   ReferenceURLs: kb|https://acme.example/kb/4711?lang=en&v=2, source|https://git.acme.example/fan-control" community-full
expect_line "   Hardware Platforms Required: Acme|R740 Fanless, Acme" community-full
expect_line "   Platforms: embeddedEsx 8.*" community-full
expect_line "   Overlay: True" community-full

# --json, before or after the command: one document, every member that
# docs/json.md lists for a package, in that order, and nothing else.
members=$(awk '/^## Package/ { on = 1; next } /^## / { on = 0 }
	on && /^\| `[A-Za-z]+` \|/ { gsub(/[|` ]/, "", $2); print $2 }' FS='|' "$docs" | paste -sd ' ')
[ -n "$members" ] || fail "no members found in docs/json.md"
for args in "--json descriptor check $data/relations.xml" \
	"descriptor check --json $data/relations.xml"; do
	# shellcheck disable=SC2086
	run $args
	[ "$rc" -eq 0 ] || fail "$args: exit $rc: $(cat "$tmp/err")"
	python3 - "$tmp/out" "$members" <<'EOF' || fail "$args: JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
want = sys.argv[2].split()
assert list(doc) == want, (list(doc), want)
assert doc["Guid"] == "VMware_locker_tools-bundle_3:12.1.5-20735119", doc["Guid"]
assert doc["AcceptanceLevel"] == "VMwareAccepted"
assert doc["Depends"][0] == {"Name": "esx-base", "Relation": ">=", "Version": "7.0.3-0.0.19193900"}
assert doc["Depends"][3] == {"Name": "vmkapi_2_6_0_0", "Relation": None, "Version": None}
assert [c["Relation"] for c in doc["Depends"]] == [">=", "<<", "<=", None, "=", ">>"]
assert doc["Provides"][0] == {"Name": "tools-bundle", "Version": "3:12.1.5-20735119"}
assert len(doc["CompatibleWith"]) == 2
assert doc["Payloads"][0]["Size"] == 1048576
assert doc["LiveInstallOk"] is True and doc["MaintenanceMode"] is False
assert doc["PackedSize"] is None and doc["Checksum"] is None
EOF
done

# Errors: exit 1, nothing on stdout, one line naming file, line, element.
check_error() {
	local file=$1 needle=$2
	run descriptor check "$data/bad/$file"
	[ "$rc" -eq 1 ] || fail "$file: exit $rc"
	[ ! -s "$tmp/out" ] || fail "$file: stdout not empty"
	grep -qF -- "swim-pack: error: $data/bad/$file:$needle" "$tmp/err" ||
		fail "$file: stderr is '$(cat "$tmp/err")', expected '$needle'"
}
check_error unknown-relation.xml "9: <constraint>: constraint on 'esx-version': unknown relation '=>'"
check_error missing-vendor.xml "1: <vib> has no <vendor>"
check_error bad-boolean.xml "16: <live-install-allowed>: 'yes' is not a boolean"
check_error path-traversal.xml "13: <file>: path 'opt/example/../../etc/shadow'"
check_error malformed-xml.xml "13: Opening and ending tag mismatch: file"
check_error duplicate-payload.xml "21: <payload>: name 'example' is used twice"

run descriptor check "$tmp/does-not-exist.xml"
[ "$rc" -eq 1 ] && grep -qF "$tmp/does-not-exist.xml" "$tmp/err" ||
	fail "missing file: exit $rc, '$(cat "$tmp/err")'"

# The size limit comes from ROOT/etc/swim/swim.conf.
mkdir -p "$tmp/root/etc/swim"
echo "descriptor_max_bytes = 100" >"$tmp/root/etc/swim/swim.conf"
run --root "$tmp/root" descriptor check "$data/relations.xml"
[ "$rc" -eq 1 ] && grep -qF "larger than the limit of 100 bytes" "$tmp/err" ||
	fail "descriptor_max_bytes: exit $rc, '$(cat "$tmp/err")'"

# Usage errors exit 2.
run descriptor check
[ "$rc" -eq 2 ] && grep -qF "missing FILE" "$tmp/err" || fail "no FILE: exit $rc"
run descriptor check a.xml b.xml
[ "$rc" -eq 2 ] && grep -qF "unexpected argument 'b.xml'" "$tmp/err" ||
	fail "two FILEs: exit $rc"

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "pack_descriptor: all checks passed"
