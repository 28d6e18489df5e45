#!/bin/bash
# swim-pack vib end to end: keygen, build, sign at each level, check
# (levels, --json, --no-sig-check), tamper, extract, reproducibility,
# and compatibility with binutils' ar and GNU tar.
set -euo pipefail

PACK=${SWIM_PACK_BIN:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect STATUS PATTERN CMD...: runs CMD, checks its exit status and that
# its stdout+stderr contain PATTERN.
expect() {
	local want=$1 pat=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	[ "$rc" = "$want" ] || fail "$* exited $rc, not $want: $out"
	grep -qF -- "$pat" <<<"$out" || fail "$* did not say '$pat': $out"
}

mkdir -p tree/usr/bin tree/etc data/opt/hello
printf '#!/bin/sh\necho hello\n' >tree/usr/bin/hello
chmod 755 tree/usr/bin/hello
ln -s hello tree/usr/bin/hi
ln tree/usr/bin/hello tree/usr/bin/hello-again
echo 'greeting = hello' >tree/etc/hello.conf
head -c 200000 /dev/urandom >data/opt/hello/blob

descriptor() {
	cat >"$1" <<XML
<vib version="5.0">
  <type>bootbank</type>
  <name>hello</name>
  <version>1.0-1</version>
  <vendor>example</vendor>
  <summary>hello world</summary>
  <acceptance-level>$2</acceptance-level>
</vib>
XML
}

expect 0 "Test CA and signing certificates written to keys" \
	"$PACK" keygen --dir keys
expect 1 "already holds a test CA" "$PACK" keygen --dir keys

# Build: reproducible with SOURCE_DATE_EPOCH, readable by ar and tar.
descriptor d-partner.xml partner
export SOURCE_DATE_EPOCH=1600000000
expect 0 "Built a.vib (example_bootbank_hello_1.0-1)" \
	"$PACK" vib build --descriptor d-partner.xml --payload hello=tree \
	--payload blob:vgz=data -o a.vib
cp -a tree tree2
touch tree2/etc/hello.conf
"$PACK" vib build --descriptor d-partner.xml --payload hello=tree2 \
	--payload blob:vgz=data -o b.vib >/dev/null
cmp a.vib b.vib || fail "two builds of the same input differ"
unset SOURCE_DATE_EPOCH
[ "$(ar t a.vib | tr '\n' ' ')" = "descriptor.xml sig.pkcs7 hello blob " ] ||
	fail "ar t: $(ar t a.vib)"
# (Listings are taken whole: grep -q would close pipes under pipefail.)
listing=$(ar p a.vib hello | tar -tzvf -)
grep -q 'hello-again link to usr/bin/hello' <<<"$listing" || fail "hard link lost"
grep -q 'usr/bin/hi -> hello' <<<"$listing" || fail "symlink lost"
desc=$(ar p a.vib descriptor.xml)
grep -q '<file>usr/bin/hello-again</file>' <<<"$desc" ||
	fail "file-list lacks the hard link"
sum=$(ar p a.vib blob | gzip -dc | sha256sum | cut -d' ' -f1)
grep -q "verify-process=\"gunzip\">$sum<" <<<"$desc" ||
	fail "gunzip checksum is not sha256 of zcat"

# Unsigned: intact, but partner is not proven.
expect 1 "could not find a trusted signer" \
	"$PACK" vib check --trust keys/trust a.vib
expect 0 "Result: intact" "$PACK" vib check --no-sig-check a.vib

# Each level proves itself; a partner signature does not prove certified.
for pair in certified:VMwareCertified accepted:VMwareAccepted \
	partner:PartnerSupported; do
	level=${pair%%:*} long=${pair#*:}
	descriptor "d-$level.xml" "$level"
	"$PACK" vib build --descriptor "d-$level.xml" --payload hello=tree \
		-o "$level.vib" >/dev/null
	expect 0 "Signed $level.vib" "$PACK" vib sign --key "keys/$level.key" \
		--cert "keys/$level.crt" "$level.vib"
	expect 0 "Proven Level: $long" \
		"$PACK" vib check --trust keys/trust "$level.vib"
done
"$PACK" vib sign --key keys/partner.key --cert keys/partner.crt \
	--chain keys/partner-ca.crt certified.vib -o cert-by-partner.vib >/dev/null
expect 1 "acceptance level VMwareCertified is not proven by its signature (proven: PartnerSupported)" \
	"$PACK" vib check --trust keys/trust cert-by-partner.vib
expect 0 '"ProvenLevel": "PartnerSupported"' \
	"$PACK" vib check --json --trust keys/trust partner.vib
expect 1 '"Satisfied": false' \
	"$PACK" vib check --json --trust keys/trust cert-by-partner.vib

# The trust store from swim.conf, then ROOT/etc/swim/trust.
mkdir -p root/etc/swim
expect 1 "could not find a trusted signer" \
	"$PACK" --root root vib check partner.vib
cp -a keys/trust root/etc/swim/trust
expect 0 "Proven Level: PartnerSupported" "$PACK" --root root vib check partner.vib
rm -rf root/etc/swim/trust
mkdir -p root/srv && cp -a keys/trust root/srv/trust
echo "trust_dir = /srv/trust" >root/etc/swim/swim.conf
expect 0 "Proven Level: PartnerSupported" "$PACK" --root root vib check partner.vib
# swim.conf paths are the managed host's: taken inside the root, absolute.
echo "trust_dir = srv/trust" >root/etc/swim/swim.conf
expect 1 "trust_dir = srv/trust must be an absolute path" \
	"$PACK" --root root vib check partner.vib
rm root/etc/swim/swim.conf

# A revoked signer proves nothing.
cp -a keys keys-revoked
expect 0 "Revoked" "$PACK" keygen --dir keys-revoked --revoke keys-revoked/partner.crt
expect 1 "certificate revoked" \
	"$PACK" vib check --trust keys-revoked/trust partner.vib

# Tampering: the descriptor, then a payload byte.
cp partner.vib t1.vib
sed -i 's/hello world/hello WORLD/' t1.vib
expect 1 "sig.pkcs7 over descriptor.xml: signature does not match" \
	"$PACK" vib check --trust keys/trust t1.vib
expect 0 "Result: intact" "$PACK" vib check --no-sig-check t1.vib
cp a.vib t2.vib
size=$(stat -c %s t2.vib)
printf 'X' | dd of=t2.vib bs=1 seek=$((size - 3000)) conv=notrunc status=none
expect 1 "payload 'blob': sha-256 checksum mismatch" \
	"$PACK" vib check --no-sig-check t2.vib
expect 1 "MISMATCH" "$PACK" vib check --no-sig-check t2.vib
expect 1 "sha-256 checksum mismatch" "$PACK" vib extract t2.vib out-t2
[ ! -e out-t2 ] || [ -z "$(ls -A out-t2)" ] || fail "tampered package was extracted"

# Extract: the tree comes back as it was.
expect 0 "Extracted 2 payloads" "$PACK" vib extract a.vib out
diff -r tree out/ -x opt >/dev/null || fail "extracted tree differs"
cmp data/opt/hello/blob out/opt/hello/blob || fail "blob differs"
[ "$(stat -c %i out/usr/bin/hello)" = "$(stat -c %i out/usr/bin/hello-again)" ] ||
	fail "hard link not restored"
[ "$(readlink out/usr/bin/hi)" = hello ] || fail "symlink not restored"
expect 1 "is not empty" "$PACK" vib extract a.vib out

# Hostile packages: refused with the member and the rule, nothing written.
H=$SWIM_TEST_DATA/vib/hostile
expect 1 "payload 'p1': entry '../evil': path traversal" \
	"$PACK" vib extract "$H/traversal.vib" out-h
expect 1 "gzip bomb" "$PACK" vib check --no-sig-check "$H/gzip-bomb.vib"
expect 1 "setuid/setgid bit" "$PACK" vib extract "$H/setuid.vib" out-h
[ ! -e out-h ] || [ -z "$(ls -A out-h)" ] || fail "hostile package was extracted"

# Usage errors.
expect 2 "--descriptor and -o are required" "$PACK" vib build --payload x=tree
expect 2 "NAME[:TYPE]=DIR" "$PACK" vib build --descriptor d.xml --payload x -o x.vib
expect 2 "--key and --cert are required" "$PACK" vib sign a.vib
echo "pack_vib: ok"
