#!/bin/bash
# A depot served over HTTP by a real server on 127.0.0.1: read it with
# `swim sources`, see that an unchanged depot costs only 304s and a
# changed one is seen, and that a 404, a server that hangs and a cut
# connection fail with messages naming the URL and what went wrong.
set -eu
t=$(mktemp -d)
server=
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null || true
	rm -rf "$t"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# Packages and a depot.
vib() { # NAME VERSION
	mkdir -p "$t/src/$1/usr/share/$1"
	echo "$1 $2" >"$t/src/$1/usr/share/$1/data"
	cat >"$t/src/$1.xml" <<EOF
<vib version="5.0"><type>bootbank</type><name>$1</name><version>$2</version>
<vendor>SWIM</vendor><summary>$1 package</summary>
<release-date>2024-05-06T07:08:09Z</release-date>
<acceptance-level>community</acceptance-level>
<payloads><payload name="p" type="tgz"/></payloads></vib>
EOF
	SOURCE_DATE_EPOCH=1700000000 "$SWIM_PACK_BIN" vib build \
		--descriptor "$t/src/$1.xml" --payload "p=$t/src/$1" -o "$t/$1.vib" >/dev/null
}
vib alpha 1.0-1
vib beta 2.0-1
vib gamma 3.0-1
mkdir -p "$t/www"
"$SWIM_PACK_BIN" depot build --vib "$t/alpha.vib" --vib "$t/beta.vib" -o "$t/www/depot" >/dev/null

python3 "$SWIM_SOURCE_DIR/tests/integration/depot_server.py" "$t/www" "$t/port" "$t/log" &
server=$!
for _ in $(seq 100); do [ -s "$t/port" ] && break; sleep 0.05; done
[ -s "$t/port" ] || fail "server did not start"
port=$(cat "$t/port")
url="http://127.0.0.1:$port"

root="$t/root"
mkdir -p "$root/etc/swim"
cat >"$root/etc/swim/swim.conf" <<EOF
download_low_speed_seconds = 1
download_connect_timeout_seconds = 2
download_retries = 1
EOF
swim() { "$SWIM_BIN" --root "$root" "$@"; }
requests() { # STATUS PATH-SUFFIX: how many requests ended so since the mark
	tail -n +"$mark" "$t/log" | grep -c " $2 $1\$" || true
}
mark_log() { mark=$(( $(wc -l <"$t/log") + 1 )); }

# First read: everything downloaded.
: >"$t/log"
mark_log
swim sources vib list -d "$url/depot/" >"$t/out1" || fail "list over http"
grep -q '^alpha  *1.0-1  *SWIM  *CommunitySupported  *2024-05-06$' "$t/out1" || fail "alpha: $(cat "$t/out1")"
grep -q '^beta ' "$t/out1" || fail "beta missing"
[ "$(requests 200 '/depot/metadata.zip')" = 1 ] || fail "metadata.zip not fetched: $(cat "$t/log")"
[ -n "$(ls "$root"/var/cache/swim/depots/*/snapshot)" ] || fail "no snapshot cached"

# Unchanged: only 304s, nothing downloaded, the same answer.
swim sources vib list -d "$url/depot/index.xml" >"$t/out1b" || fail "index.xml URL"
cmp -s "$t/out1" "$t/out1b" || fail "index.xml URL answers differently"
mark_log
swim sources vib list -d "$url/depot/" >"$t/out2" || fail "second list"
cmp -s "$t/out1" "$t/out2" || fail "cached answer differs"
[ "$(requests 304 '/depot/index.xml')" = 1 ] || fail "index.xml not revalidated: $(tail -n +"$mark" "$t/log")"
[ "$(requests 304 '/depot/metadata.zip')" = 1 ] || fail "metadata.zip not revalidated"
[ "$(tail -n +"$mark" "$t/log" | grep -c ' 200$' || true)" = 0 ] || fail "downloaded again: $(tail -n +"$mark" "$t/log")"

# Changed: the new package is seen.
sleep 1
rm -rf "$t/www/depot"
"$SWIM_PACK_BIN" depot build --vib "$t/alpha.vib" --vib "$t/beta.vib" --vib "$t/gamma.vib" \
	-o "$t/www/depot" >/dev/null
mark_log
swim sources vib list -d "$url/depot/" >"$t/out3" || fail "list after change"
grep -q '^gamma  *3.0-1 ' "$t/out3" || fail "change not seen: $(cat "$t/out3")"
[ "$(requests 200 '/depot/metadata.zip')" = 1 ] || fail "new metadata.zip not fetched"
swim --json sources vib get -d "$url/depot/" -n gamma:3.0-1 >"$t/json"
grep -q "\"SourceUrls\": \[" "$t/json" || fail "json: $(cat "$t/json")"
grep -q "\"$url/depot/\"" "$t/json" || fail "SourceUrls: $(cat "$t/json")"

# A damaged cached copy is discarded and fetched again.
for s in "$root"/var/cache/swim/depots/*/snapshot; do rm -f "$s"; done
for f in "$root"/var/cache/swim/depots/*/f-*; do printf 'garbage' >>"$f"; done
mark_log
swim sources vib list -d "$url/depot/" >"$t/out4" || fail "list with a damaged cache"
cmp -s "$t/out3" "$t/out4" || fail "damaged cache changed the answer"
[ "$(requests 200 '/depot/metadata.zip')" = 1 ] || fail "damaged metadata.zip not fetched again: $(tail -n +"$mark" "$t/log")"

# 404: the message names the URL, the file and the status.
if swim sources vib list -d "$url/nothing/" 2>"$t/err"; then fail "404 accepted"; fi
grep -q "depot $url/nothing/: GET $url/nothing/index.xml: HTTP status 404" "$t/err" || fail "404: $(cat "$t/err")"

# A server that hangs: a timeout, not a hang.
start=$(date +%s)
if swim sources vib list -d "$url/stall/depot/" 2>"$t/err"; then fail "stall accepted"; fi
grep -q "GET $url/stall/depot/index.xml: timed out" "$t/err" || fail "stall: $(cat "$t/err")"
[ $(( $(date +%s) - start )) -lt 20 ] || fail "timeout took too long"

# A cut connection: metadata.zip arrives half and is refused.
if swim sources vib list -d "$url/truncated/depot/" 2>"$t/err"; then fail "truncated accepted"; fi
grep -q "GET $url/truncated/depot/metadata.zip: " "$t/err" || fail "truncated: $(cat "$t/err")"
grep -qi "transfer closed\|partial" "$t/err" || fail "truncated reason: $(cat "$t/err")"

# Credentials never show.
if swim sources vib list -d "http://user:s3cret@127.0.0.1:$port/nothing/" 2>"$t/err"; then fail "404 accepted"; fi
! grep -q s3cret "$t/err" || fail "password in message: $(cat "$t/err")"

echo "depot_http: ok"
