#!/bin/bash
# swim version compare | parts and swim constraint match, as a user runs
# them: output, messages and exit codes.
set -u
swim=${SWIM_BIN:?SWIM_BIN is not set}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# expect STATUS EXPECTED_STDOUT -- ARGS...: runs swim, compares stdout and
# the exit status.
expect() {
	local want_rc=$1 want_out=$2 out rc
	shift 3
	out=$("$swim" "$@" 2>"$tmp/err")
	rc=$?
	[ "$rc" -eq "$want_rc" ] || fail "swim $*: exit $rc, expected $want_rc ($(cat "$tmp/err"))"
	[ "$out" == "$want_out" ] || fail "swim $*: printed '$out', expected '$want_out'"
}

# expect_error STATUS NEEDLE -- ARGS...: swim must fail with STATUS, print
# nothing on stdout and a message containing NEEDLE on stderr.
expect_error() {
	local want_rc=$1 needle=$2 out rc
	shift 3
	out=$("$swim" "$@" 2>"$tmp/err")
	rc=$?
	[ "$rc" -eq "$want_rc" ] || fail "swim $*: exit $rc, expected $want_rc"
	[ -z "$out" ] || fail "swim $*: printed '$out' on stdout"
	grep -qF -- "$needle" "$tmp/err" || fail "swim $*: stderr '$(cat "$tmp/err")' lacks '$needle'"
}

# -- version compare
expect 0 -1 -- version compare 1.0 1.0-1
expect 0 1 -- version compare 1.0-1 1.0
expect 0 0 -- version compare 1.0 0:1.0
expect 0 1 -- version compare 1:0.1 9.9
expect 0 -1 -- version compare 1.0~rc1 1.0
expect 0 1 -- version compare 1.0^1 1.0
expect 0 -1 -- version compare 1.0^1 1.0.1
expect 0 0 -- version compare 1.01 1.1
expect 0 -1 -- version compare 0.1.1.0-6vmw.700.1.0.15843807 0.1.1.0-6vmw.700.1.0.15843808
expect 0 1 -- version compare 18446744073709551616 18446744073709551615
expect 0 0 -- version compare 1.0@ 1.0
expect 0 '{
  "Version1": "1.0",
  "Version2": "2.0",
  "Result": -1
}' -- --json version compare 1.0 2.0
expect_error 1 'first version is empty' -- version compare '' 1.0
expect_error 1 'second version has a blank (0x20) at position 4' -- version compare 1.0 '1.0 beta'
expect_error 1 'first version has a control character (0x0a) at position 4' -- version compare $'1.0\n' 1.0
expect_error 1 'is 300 bytes, longer than 256' -- version compare "$(printf '1%.0s' $(seq 300))" 1
expect_error 2 'expected two versions' -- version compare 1.0
expect_error 2 'expected two versions' -- version compare 1 2 3
expect_error 2 'unknown option' -- version compare --bogus 1 2
mkdir -p "$tmp/root/etc/swim"
echo 'version_max_bytes = 4' >"$tmp/root/etc/swim/swim.conf"
expect_error 1 'longer than 4 (version_max_bytes)' -- --root "$tmp/root" version compare 1.0.0 1

# -- version compare --batch
printf '1.0 2.0\n2.0 1.0\n 1.0\t0:1.0 \n1.0~rc1 1.0\n1.0-1 1.0\n' >"$tmp/pairs"
expect 0 "$(printf -- '-1\n1\n0\n-1\n1')" -- version compare --batch <"$tmp/pairs"
printf '1.0 2.0' | "$swim" version compare --batch >"$tmp/out" 2>&1 &&
	[ "$(cat "$tmp/out")" == "-1" ] || fail "--batch: last line without a newline"
: | "$swim" version compare --batch >"$tmp/out" 2>&1 && [ ! -s "$tmp/out" ] ||
	fail "--batch: empty input should print nothing and succeed"
printf '1.0 2.0\n1.0\n3 4\n' >"$tmp/bad"
out=$("$swim" version compare --batch <"$tmp/bad" 2>"$tmp/err")
[ $? -eq 1 ] || fail "--batch with a malformed line should exit 1"
[ "$out" == "-1" ] || fail "--batch: results before the malformed line, got '$out'"
grep -qF 'line 2: expected two versions separated by a blank' "$tmp/err" ||
	fail "--batch: message '$(cat "$tmp/err")' should name line 2"
printf '1 2\n\n' | "$swim" version compare --batch >/dev/null 2>"$tmp/err"
grep -qF 'line 2:' "$tmp/err" || fail "--batch: an empty line is an error naming it"
printf '1 2\n1 2 3\n' | "$swim" version compare --batch >/dev/null 2>"$tmp/err"
grep -qF 'line 2: expected two versions' "$tmp/err" || fail "--batch: three fields"
printf '1 2\n3 \x01\n' | "$swim" version compare --batch >/dev/null 2>"$tmp/err"
grep -qF 'line 2: second version has a control character (0x01)' "$tmp/err" ||
	fail "--batch: control character: '$(cat "$tmp/err")'"
printf '1 2\n1\0002 3\n' | "$swim" version compare --batch >/dev/null 2>"$tmp/err"
grep -qF 'line 2 has a NUL byte' "$tmp/err" || fail "--batch: NUL byte: '$(cat "$tmp/err")'"
expect_error 2 'not from arguments' -- version compare --batch 1 2
expect_error 2 '--json is not available' -- version compare --batch --json

# A line far longer than any version is refused at the line limit, not
# read whole; a long input is answered line by line.
head -c 50000000 /dev/zero | tr '\0' '1' >"$tmp/long"
out=$("$swim" version compare --batch <"$tmp/long" 2>"$tmp/err")
[ $? -eq 1 ] || fail "--batch: an endless line should fail"
grep -qF 'line 1: data exceeds the limit of 576 bytes' "$tmp/err" ||
	fail "--batch: long line message '$(cat "$tmp/err")'"
# Memory stays that of a short run (GNU time reports the peak in KiB).
if [ -x /usr/bin/time ]; then
	small=$(echo '1 2' | /usr/bin/time -f %M "$swim" version compare --batch 2>&1 >/dev/null | tail -1)
	big=$(/usr/bin/time -f %M "$swim" version compare --batch <"$tmp/long" 2>&1 >/dev/null | tail -1)
	[ "$big" -lt $((small + 10000)) ] || fail "--batch: peak memory ${big} KiB on a 50 MB line, ${small} KiB on one pair"
fi
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "1.%d-%d 1.%d-%d\n", i, i % 7, i % 1000, i % 5 }' >"$tmp/many"
"$swim" version compare --batch <"$tmp/many" >"$tmp/many.out" || fail "--batch: 300000 lines failed"
[ "$(wc -l <"$tmp/many.out")" -eq 300000 ] || fail "--batch: 300000 lines gave $(wc -l <"$tmp/many.out") results"
[ "$(sed -n '1p;2p;1001p;300000p' "$tmp/many.out" | tr '\n' ' ')" == "0 0 1 1 " ] ||
	fail "--batch: results of lines 1, 2, 1001, 300000: $(sed -n '1p;2p;1001p;300000p' "$tmp/many.out" | tr '\n' ' ')"

# -- version parts
expect 0 "$(printf 'Version: 0.1.1.0\nRelease: 6vmw.700.1.0.15843807')" -- version parts 0.1.1.0-6vmw.700.1.0.15843807
expect 0 "$(printf 'Epoch: 1\nVersion: 2.0\nRelease: 3')" -- version parts 1:2.0-3
expect 0 "$(printf 'Version: 1.0\nRelease: ')" -- version parts 1.0
expect 0 "$(printf 'Version: 1-2\nRelease: 3')" -- version parts 1-2-3
expect 0 '{
  "Epoch": "1",
  "Version": "2.0",
  "Release": "3"
}' -- version parts --json 1:2.0-3
expect 0 '{
  "Epoch": null,
  "Version": "1.0",
  "Release": null
}' -- --json version parts 1.0
expect 0 '{
  "Epoch": null,
  "Version": "1.0",
  "Release": ""
}' -- version parts 1.0- --json
expect_error 1 'version is empty' -- version parts ''
expect_error 1 'version has a blank (0x20) at position 2' -- version parts '1 0'
expect_error 1 'version has a blank (0x09) at position 1' -- version parts $'\t1'
expect_error 1 'version has a control character (0x1b)' -- version parts $'1\e[0m'
expect_error 1 'not UTF-8' -- version parts --json $'1.\xff'
expect_error 2 'expected one version' -- version parts

# -- constraint match
expect 0 true -- constraint match 'foo = 1.0' 'foo 1.0-3'
expect 0 false -- constraint match 'foo >> 1.0' 'foo 1.0-3'
expect 0 true -- constraint match 'foo >= 1.0' 'foo 1.0-3'
expect 0 true -- constraint match 'foo << 2.0' 'foo 1.9'
expect 0 false -- constraint match 'foo <= 1.0' 'foo 1.1'
expect 0 true -- constraint match foo foo
expect 0 true -- constraint match foo 'foo 1.0'
expect 0 false -- constraint match 'foo >= 1.0' foo
expect 0 false -- constraint match 'foo' 'bar 1.0'
expect 0 true -- constraint match 'foo>=1:1.0' 'foo 1:1.0-1'
expect 0 true -- constraint match 'foo = 1.0' 'foo = 1.0'
expect 0 '{
  "Constraint": {
    "Name": "foo",
    "Relation": ">=",
    "Version": "1.0"
  },
  "Provide": {
    "Name": "foo",
    "Version": "1.0-3"
  },
  "MatchesProvide": true
}' -- --json constraint match 'foo >= 1.0' 'foo 1.0-3'
expect 0 '{
  "Constraint": {
    "Name": "foo",
    "Relation": null,
    "Version": null
  },
  "Provide": {
    "Name": "foo",
    "Version": null
  },
  "MatchesProvide": true
}' -- constraint match --json foo foo
expect_error 1 "constraint 'foo =< 1.0': unknown relation '=<'" -- constraint match 'foo =< 1.0' foo
expect_error 1 "unknown relation '<'" -- constraint match 'foo < 1.0' foo
expect_error 1 'missing version' -- constraint match 'foo >=' foo
expect_error 1 'unexpected text after the version' -- constraint match 'foo >= 1 2' foo
expect_error 1 'empty name' -- constraint match '' foo
expect_error 1 "provide 'foo 1 2': expected 'NAME [VERSION]'" -- constraint match foo 'foo 1 2'
expect_error 1 'control or non-ASCII byte (0x0a)' -- constraint match $'foo >= 1\n' foo
expect_error 2 'expected a constraint and a provide' -- constraint match foo
expect_error 2 'Commands of' -- constraint bogus

if [ $failures -ne 0 ]; then
	echo "$failures checks failed" >&2
	exit 1
fi
echo "cli_version: all checks passed"
