#!/bin/bash
# swim-pack profile new: writes a profile the reader accepts, reproducibly
# with SOURCE_DATE_EPOCH, and refuses bad input with a clear message.
set -eu
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

export SOURCE_DATE_EPOCH=1700000000
"$SWIM_PACK_BIN" profile new --name "demo standard" --vendor "swim demo" \
	--author qa --description "two packages" --acceptance accepted --read-only \
	--rule site=lab --vib SWIM_bootbank_b_1.0-1 --vib SWIM_bootbank_a_2.0-1 \
	--guid 0123456789abcdef0123456789abcdef -o "$t/p1.xml" >"$t/out"
grep -q "written to $t/p1.xml with 2 packages" "$t/out" || fail "summary: $(cat "$t/out")"
grep -q '<creation-time>2023-11-14T22:13:20Z</creation-time>' "$t/p1.xml" || fail "SOURCE_DATE_EPOCH not used"
grep -q '<acceptance-level>accepted</acceptance-level>' "$t/p1.xml" || fail "acceptance"
grep -q '<read-only>true</read-only>' "$t/p1.xml" || fail "read-only"
# sorted package list
[ "$(grep -o 'SWIM_bootbank_[ab]' "$t/p1.xml" | tr '\n' ' ')" = "SWIM_bootbank_a SWIM_bootbank_b " ] || fail "order"

"$SWIM_PACK_BIN" profile new --name "demo standard" --vendor "swim demo" \
	--author qa --description "two packages" --acceptance accepted --read-only \
	--rule site=lab --vib SWIM_bootbank_a_2.0-1 --vib SWIM_bootbank_b_1.0-1 \
	--guid 0123456789abcdef0123456789abcdef -o "$t/p2.xml" >/dev/null
cmp -s "$t/p1.xml" "$t/p2.xml" || fail "not reproducible"

# bad input: clear error, non-zero exit, no file
long=$(printf 'n%.0s' $(seq 81))
if "$SWIM_PACK_BIN" profile new --name "$long" --vendor v -o "$t/bad.xml" 2>"$t/err"; then fail "81-char name accepted"; fi
grep -q "Name is 81 characters, more than 80" "$t/err" || fail "message: $(cat "$t/err")"
[ ! -e "$t/bad.xml" ] || fail "file written on error"
if "$SWIM_PACK_BIN" profile new --name n --vendor v --vib "no id" -o "$t/bad.xml" 2>"$t/err"; then fail "bad id accepted"; fi
grep -q "not a package id" "$t/err" || fail "message: $(cat "$t/err")"
if "$SWIM_PACK_BIN" profile new --name n -o "$t/bad.xml" 2>/dev/null; then fail "missing vendor accepted"; fi
echo "pack_profile: ok"
