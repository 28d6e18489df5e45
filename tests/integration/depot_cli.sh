#!/bin/bash
# swim-pack depot build / bundle build and swim sources vib|profile
# list|get on a directory depot and an offline bundle: the output a user
# reads, JSON, reproducible builds, conflicts between depots, and errors.
set -eu
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export SOURCE_DATE_EPOCH=1700000000

vib() { # NAME VERSION CONTENT [DEPENDS]
	mkdir -p "$t/src/$1-$3/usr/share/$1"
	echo "$3" >"$t/src/$1-$3/usr/share/$1/data"
	cat >"$t/src/$1.xml" <<EOF
<vib version="5.0"><type>bootbank</type><name>$1</name><version>$2</version>
<vendor>SWIM</vendor><summary>$1 package</summary><description>All about $1.</description>
<release-date>2024-05-06T07:08:09Z</release-date>
<relationships><depends>${4:-}</depends></relationships>
<software-tags><tag>driver</tag></software-tags>
<acceptance-level>partner</acceptance-level>
<live-install-allowed>true</live-install-allowed>
<payloads><payload name="p" type="tgz"/></payloads></vib>
EOF
	"$SWIM_PACK_BIN" vib build --descriptor "$t/src/$1.xml" \
		--payload "p=$t/src/$1-$3" -o "$t/$1-$3.vib" >/dev/null
}
vib base 1.0-1 one
vib hello 2.0-1 one '<constraint name="base" relation="&gt;=" version="1.0"/>'
vib hello 2.0-1 two   # same id, other content
"$SWIM_PACK_BIN" profile new --name demo-std --vendor SWIM --acceptance partner \
	--vib SWIM_bootbank_base_1.0-1 --vib SWIM_bootbank_hello_2.0-1 \
	--guid 0123456789abcdef0123456789abcdef -o "$t/profile.xml" >/dev/null

# Build: a depot and a bundle, byte for byte the same every time.
"$SWIM_PACK_BIN" depot build --vib "$t/base-one.vib" --vib "$t/hello-one.vib" \
	--profile "$t/profile.xml" --vendor "swim demo" -o "$t/depot" >"$t/out"
grep -q "Depot written to $t/depot with 2 packages and 1 image profile" "$t/out" || fail "summary: $(cat "$t/out")"
for f in index.xml vendor-index.xml metadata.zip vib20/hello/SWIM_bootbank_hello_2.0-1.vib; do
	[ -f "$t/depot/$f" ] || fail "missing $f"
done
grep -q '<code>SWIMDEMO</code>' "$t/depot/index.xml" || fail "vendor code"
grep -q '<type>http://www.vmware.com/depotmanagement/esx</type>' "$t/depot/index.xml" || fail "content type"
grep -q '<productId>embeddedEsx</productId>' "$t/depot/vendor-index.xml" || fail "product id"
"$SWIM_PACK_BIN" bundle build --vib "$t/hello-one.vib" --vib "$t/base-one.vib" \
	--profile "$t/profile.xml" --vendor "swim demo" -o "$t/b1.zip" >/dev/null
TZ=America/New_York "$SWIM_PACK_BIN" bundle build --vib "$t/base-one.vib" --vib "$t/hello-one.vib" \
	--profile "$t/profile.xml" --vendor "swim demo" -o "$t/b2.zip" >/dev/null
cmp -s "$t/b1.zip" "$t/b2.zip" || fail "bundle not reproducible"
"$SWIM_PACK_BIN" depot build --vib "$t/hello-one.vib" --vib "$t/base-one.vib" \
	--profile "$t/profile.xml" --vendor "swim demo" -o "$t/depot2" >/dev/null
cmp -s "$t/depot/metadata.zip" "$t/depot2/metadata.zip" || fail "metadata.zip not reproducible"

root="$t/root"
swim() { "$SWIM_BIN" --root "$root" "$@"; }

# sources vib list: esxcli's columns, one row per package.
for d in "$t/depot" "$t/b1.zip"; do
	swim sources vib list -d "$d" >"$t/list"
	head -1 "$t/list" | grep -q '^Name  *Version  *Vendor  *Acceptance Level  *Release Date$' || fail "header: $(cat "$t/list")"
	grep -q '^base  *1.0-1  *SWIM  *PartnerSupported  *2024-05-06$' "$t/list" || fail "row: $(cat "$t/list")"
	[ "$(wc -l <"$t/list")" = 4 ] || fail "rows: $(cat "$t/list")"
done
swim --json sources vib list -d "$t/depot" >"$t/json"
python3 - "$t/json" <<'EOF' || fail "list json: $(cat "$t/json")"
import json, sys
doc = json.load(open(sys.argv[1]))
assert [p["Name"] for p in doc] == ["base", "hello"], doc
assert doc[1]["Guid"] == "SWIM_bootbank_hello_2.0-1"
assert doc[1]["AcceptanceLevel"] == "PartnerSupported"
assert doc[1]["ReleaseDate"] == "2024-05-06T07:08:09Z"
assert len(doc[1]["SourceUrls"]) == 1
EOF

# sources vib get: the field block, all or by -n.
swim sources vib get -d "$t/depot" -n hello >"$t/get"
head -1 "$t/get" | grep -q '^SWIM_bootbank_hello_2.0-1$' || fail "get heading: $(cat "$t/get")"
grep -q '^   Depends: base >= 1.0$' "$t/get" || fail "depends: $(cat "$t/get")"
grep -q '^   Live Install Allowed: True$' "$t/get" || fail "live install"
grep -q '^   Creation Date: 2024-05-06$' "$t/get" || fail "date"
for spec in hello:2.0-1 SWIM:hello SWIM:hello:2.0-1; do
	swim sources vib get -d "$t/b1.zip" -n "$spec" | head -1 | grep -q '^SWIM_bootbank_hello_2.0-1$' || fail "-n $spec"
done
[ "$(swim sources vib get -d "$t/depot" | grep -c '^SWIM_bootbank_')" = 2 ] || fail "get all"
swim --json sources vib get -d "$t/depot" -n base >"$t/json"
python3 - "$t/json" "$t/depot" <<'EOF' || fail "get json: $(cat "$t/json")"
import json, sys
doc = json.load(open(sys.argv[1]))
assert len(doc) == 1
p = doc[0]
assert p["Name"] == "base" and p["Vendor"] == "SWIM"
assert p["RelativePath"] == "vib20/base/SWIM_bootbank_base_1.0-1.vib"
assert p["PackedSize"] > 0 and p["Checksum"]["ChecksumType"] == "sha-256"
assert p["SourceUrls"] == [sys.argv[2]]
EOF
if swim sources vib get -d "$t/depot" -n nothing 2>"$t/err"; then fail "unknown -n accepted"; fi
grep -q "no package matching 'nothing'" "$t/err" || fail "-n message: $(cat "$t/err")"

# sources profile list|get
swim sources profile list -d "$t/depot" >"$t/plist"
grep -q '^demo-std  *SWIM  *PartnerSupported  *2023-11-14T22:13:20Z' "$t/plist" || fail "profile list: $(cat "$t/plist")"
swim sources profile get -d "$t/b1.zip" -p demo-std >"$t/pget"
grep -q '^   VIBs: SWIM_bootbank_base_1.0-1, SWIM_bootbank_hello_2.0-1$' "$t/pget" || fail "profile get: $(cat "$t/pget")"
swim --json sources profile get -d "$t/depot" -p demo-std >"$t/json"
python3 - "$t/json" <<'EOF' || fail "profile json: $(cat "$t/json")"
import json, sys
p = json.load(open(sys.argv[1]))[0]
assert p["Name"] == "demo-std" and p["GUID"] == "0123456789abcdef0123456789abcdef"
assert p["SourceUrls"] and p["StatelessReady"] is False
assert p["VibList"] == ["SWIM_bootbank_base_1.0-1", "SWIM_bootbank_hello_2.0-1"]
assert p["AcceptanceLevel"] == "PartnerSupported" and p["ReadOnly"] is False
EOF
if swim sources profile get -d "$t/depot" -p nope 2>"$t/err"; then fail "unknown profile"; fi
grep -q "no image profile 'nope'" "$t/err" || fail "profile message: $(cat "$t/err")"

# Two depots, one package id with two contents: refused, both named.
"$SWIM_PACK_BIN" depot build --vib "$t/hello-two.vib" -o "$t/rival" >/dev/null
swim sources vib list -d "$t/depot" -d "$t/rival" >"$t/list" 2>"$t/err"
grep -q '^base ' "$t/list" || fail "base missing with two depots"
! grep -q '^hello ' "$t/list" || fail "conflicting hello listed"
grep -q "warning: package SWIM_bootbank_hello_2.0-1 is offered with different content by depot $t/depot and depot $t/rival" "$t/err" || fail "conflict warning: $(cat "$t/err")"
if swim sources vib get -d "$t/depot" -d "$t/rival" -n hello 2>"$t/err"; then fail "conflict accepted"; fi
grep -q "disable one of them" "$t/err" || fail "conflict error: $(cat "$t/err")"
# The same content in two depots is one offer from both.
swim --json sources vib get -d "$t/depot" -d "$t/b1.zip" -n base >"$t/json"
python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))[0]["SourceUrls"]) == 2' "$t/json" || fail "two sources"

# Errors name the depot, the file and why.
if swim sources vib list -d "$t/nothing" 2>"$t/err"; then fail "missing depot"; fi
grep -q "depot $t/nothing: .*No such file or directory" "$t/err" || fail "missing: $(cat "$t/err")"
echo "not a zip" >"$t/bad.zip"
if swim sources vib list -d "$t/bad.zip" 2>"$t/err"; then fail "bad zip"; fi
grep -q "depot $t/bad.zip: $t/bad.zip: not a valid zip archive" "$t/err" || fail "bad zip: $(cat "$t/err")"
cp -r "$t/depot" "$t/broken"
printf '<vendorList>\n<vendor>\n<indexfile>vendor-index.xml</indexfile>\n</vendorList>\n' >"$t/broken/index.xml"
if swim sources vib list -d "$t/broken" 2>"$t/err"; then fail "malformed index"; fi
grep -q "depot $t/broken: index.xml:[0-9][0-9]*: " "$t/err" || fail "malformed: $(cat "$t/err")"
if swim sources vib list 2>"$t/err"; then fail "no -d accepted"; fi
grep -q "no depot: give one with -d, or configure one with 'swim depot add'" "$t/err" ||
	fail "no -d: $(cat "$t/err")"
if "$SWIM_PACK_BIN" depot build --vib "$t/base-one.vib" -o "$t/depot" 2>"$t/err"; then fail "overwrote a depot"; fi
grep -q "holds a depot already" "$t/err" || fail "overwrite: $(cat "$t/err")"

# The cache lives under --root (swim.conf cache_dir moves it, still
# inside the root: swim.conf paths are the managed host's).
[ -n "$(ls "$root/var/cache/swim/depots/")" ] || fail "no cache under the root"
mkdir -p "$t/r2/etc/swim"
echo "cache_dir = /srv/cache" >"$t/r2/etc/swim/swim.conf"
"$SWIM_BIN" --root "$t/r2" sources vib list -d "$t/depot" >/dev/null
[ -n "$(ls "$t/r2/srv/cache/depots/")" ] || fail "cache_dir not used"
[ ! -e /srv/cache/depots ] || fail "cache written outside the root"
echo "depot_cli: ok"
