#!/bin/bash
# The swimd command: --add-user, what it refuses to start with (no users,
# no schema, remote addresses), swim.conf defaults, --schema, detaching,
# and stopping cleanly on SIGTERM and SIGINT.
set -u
. "$(dirname "$0")/lib/swimd.sh"
t=$(mktemp -d)
bg=
cleanup() {
	swimd_cleanup
	[ -n "$bg" ] && kill -KILL "$bg" 2>/dev/null
	rm -rf "$t"
}
trap cleanup EXIT
schema=(--schema-dir "$SWIM_SOURCE_DIR/schema")

# refuses NAME TEXT ARGS...: swimd exits non-zero saying TEXT.
refuses() {
	local name=$1 text=$2; shift 2
	if "$SWIMD_BIN" "$@" >"$t/out" 2>&1 </dev/null; then fail "$name: swimd started: $(cat "$t/out")"; fi
	grep -q -- "$text" "$t/out" || fail "$name: no '$text' in: $(cat "$t/out")"
}

# --- users
mkdir -p "$t/r1/etc/swim"
refuses "no users file" "add a user with: swimd --users $t/r1/etc/swim/users --add-user NAME --role admin" \
	--root "$t/r1" --foreground "${schema[@]}"
printf '# nobody yet\n' >"$t/r1/etc/swim/users"
chmod 600 "$t/r1/etc/swim/users"
refuses "empty users file" "no users" --root "$t/r1" --foreground "${schema[@]}"
refuses "bad role" "readonly" --root "$t/r1" --add-user carol --role root
refuses "role without user" "--role goes with --add-user" --root "$t/r1" --role admin
echo pw1 | "$SWIMD_BIN" --root "$t/r1" --add-user carol --role readonly >"$t/out" || fail "add-user"
grep -q "user carol (readonly) written to $t/r1/etc/swim/users" "$t/out" || fail "add-user said: $(cat "$t/out")"
grep -q '^carol:readonly:\$y\$' "$t/r1/etc/swim/users" || fail "users file: $(cat "$t/r1/etc/swim/users")"
[ "$(stat -c %a "$t/r1/etc/swim/users")" = 600 ] || fail "users file mode"
if grep -q pw1 "$t/r1/etc/swim/users"; then fail "plaintext password stored"; fi
echo pw2 | "$SWIMD_BIN" --users "$t/other-users" --add-user dave --role admin >/dev/null || fail "add-user --users"
grep -q '^dave:admin:' "$t/other-users" || fail "--users file not written"

# --- what swimd refuses to start with
refuses "remote address" "is not loopback" --root "$t/r1" --foreground "${schema[@]}" --listen 0.0.0.0:0
refuses "bad address" "127.0.0.1" --root "$t/r1" --foreground "${schema[@]}" --listen 127.0.0.1
refuses "no schema" "none/swim.mof: No such file" --root "$t/r1" --foreground --schema-dir "$t/none"
printf 'class Broken : Nope {};\n' >"$t/broken.mof"
refuses "broken --schema" "broken.mof:1:" --root "$t/r1" --foreground "${schema[@]}" --schema "$t/broken.mof"
mkdir "$t/partial" && cp "$SWIM_SOURCE_DIR"/schema/*.mof "$t/partial/"
refuses "test classes without the test schema" "partial/test/swim_test.mof" --root "$t/r1" --foreground \
	--schema-dir "$t/partial" --test-classes
refuses "unknown option" "usage:" --frobnicate
# swim.conf paths are the managed host's: users_file is taken inside the root.
mkdir -p "$t/r1/srv" && cp "$t/other-users" "$t/r1/srv/other-users"
printf 'listen = 127.0.0.1:0\nsystem_name = confhost\nusers_file = %s\nallow_remote = maybe\n' \
	/srv/other-users >"$t/r1/etc/swim/swim.conf"
refuses "bad allow_remote" "allow_remote must be yes or no" --root "$t/r1" --foreground "${schema[@]}"

# --- swim.conf gives listen, system_name and users_file; --schema adds a class
printf 'listen = 127.0.0.1:0\nsystem_name = confhost\nusers_file = %s\nlog_level = debug\n' \
	/srv/other-users >"$t/r1/etc/swim/swim.conf"
printf '[Version("1.0.0"), Description("An extra class.")]\nclass SWIM_Extra : CIM_ManagedElement {\n  [Key, Override("InstanceID")] string InstanceID;\n};\n' >"$t/extra.mof"
"$SWIMD_BIN" --root "$t/r1" --foreground "${schema[@]}" --schema "$t/extra.mof" 2>"$t/log" &
SWIMD_PID=$!
SWIMD_LOG=$t/log
for _ in $(seq 100); do
	port=$(sed -n 's/.*listening on 127\.0\.0\.1:0 (port \([0-9]*\)[,)].*/\1/p' "$t/log")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || fail "swimd with swim.conf did not start: $(cat "$t/log")"
body() {
	printf '<?xml version="1.0" encoding="utf-8"?>\n<CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="7" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="%s"><LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH><IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="%s"/></IPARAMVALUE></IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>\n' "$1" "$2"
}
post() {
	body "$1" "$2" | curl -s -S -u dave:pw2 -H 'Content-Type: application/xml; charset="utf-8"' \
		-H 'CIMOperation: MethodCall' -H "CIMMethod: $1" -H 'CIMObject: root/cimv2' \
		--data-binary @- "http://127.0.0.1:$port/cimom"
}
post EnumerateInstanceNames SWIM_ComputerSystem >"$t/out"
grep -q '<KEYVALUE VALUETYPE="string" TYPE="string">confhost</KEYVALUE>' "$t/out" \
	|| fail "system_name from swim.conf: $(cat "$t/out")"
post GetClass SWIM_Extra >"$t/out"
grep -q '<CLASS NAME="SWIM_Extra" SUPERCLASS="CIM_ManagedElement">' "$t/out" || fail "--schema: $(cat "$t/out")"
post GetClass SWIM_TestElement >"$t/out"
grep -q 'CODE="6"' "$t/out" || fail "test classes served without --test-classes"
grep -q 'debug: POST /cimom from 127.0.0.1 user dave CIMMethod GetClass' "$t/log" || fail "log_level debug"
kill -INT "$SWIMD_PID"
wait "$SWIMD_PID" || fail "SIGINT: exit $?"
grep -q 'SIGINT: stopping' "$t/log" || fail "SIGINT not logged: $(cat "$t/log")"
SWIMD_PID=
rm "$t/r1/etc/swim/swim.conf"

# --- detaching (--detach): swimd returns once it serves, and reports what
# stops it
swimd_setup "$t/r2"
"$SWIMD_BIN" --root "$SWIMD_ROOT" --detach "${schema[@]}" --listen 127.0.0.1:0 >"$t/out" 2>&1 \
	|| fail "detached start: $(cat "$t/out")"
for p in /proc/[0-9]*; do
	if { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -q -- "--root $SWIMD_ROOT "; then
		bg=${p#/proc/}
	fi
done
[ -n "$bg" ] || fail "no detached swimd found"
[ "$(ps -o sid= -p "$bg" | tr -d ' ')" = "$bg" ] || fail "detached swimd is not a session leader"
kill -TERM "$bg"
for _ in $(seq 50); do kill -0 "$bg" 2>/dev/null || break; sleep 0.1; done
kill -0 "$bg" 2>/dev/null && fail "detached swimd did not stop on SIGTERM"
bg=

# a port in use is reported by the detaching parent
swimd_start
refuses "port in use" "127.0.0.1:$SWIMD_PORT" --root "$SWIMD_ROOT" --detach "${schema[@]}" --listen "127.0.0.1:$SWIMD_PORT"
swimd_stop
echo "swimd_daemon: ok"
