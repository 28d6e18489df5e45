#!/bin/bash
# Running swimd for real: HTTPS with certificates made here by openssl,
# read by wbemcli (-cacert) and curl (--cacert); M-POST (curl: wbemcli
# only posts); limits hit and reported to the client and in the log (a
# body too large, too many connections from one address); SIGHUP
# reloads the users file (a user added while swimd runs can log in after
# it) and SIGTERM stops swimd with exit 0.
set -u
. "$(dirname "$0")/lib/swimd.sh"
command -v wbemcli >/dev/null || fail "wbemcli is not installed (apt-get install sblim-wbemcli)"
t=$(mktemp -d)
exec 3>&- 4>&-
trap 'exec 3>&- 4>&-; swimd_cleanup; rm -rf "$t"' EXIT

# --- certificates: a CA, and a server certificate for 127.0.0.1 it signed
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj '/CN=swim test CA' -keyout "$t/ca.key" -out "$t/ca.pem" 2>"$t/openssl" || fail "CA: $(cat "$t/openssl")"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=127.0.0.1' \
	-keyout "$t/server.key" -out "$t/server.csr" 2>"$t/openssl" || fail "CSR: $(cat "$t/openssl")"
printf 'subjectAltName = IP:127.0.0.1\nextendedKeyUsage = serverAuth\n' >"$t/ext"
openssl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" -CAcreateserial -days 2 \
	-extfile "$t/ext" -out "$t/server.pem" 2>"$t/openssl" || fail "certificate: $(cat "$t/openssl")"
chmod 600 "$t/server.key"

swimd_setup "$t"
printf 'http_max_body_bytes = 4096\nhttp_max_connections_per_ip = 2\n' >"$SWIMD_ROOT/etc/swim/swim.conf"
swimd_start --tls-listen 127.0.0.1:0 --cert "$t/server.pem" --key "$t/server.key"
for _ in $(seq 50); do
	[ -n "$SWIMD_TLS_PORT" ] && break
	sleep 0.1
	SWIMD_TLS_PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:0 (port \([0-9]*\), HTTPS).*/\1/p' "$SWIMD_LOG")
done
[ -n "$SWIMD_TLS_PORT" ] || fail "no HTTPS port: $(cat "$SWIMD_LOG")"
TLS=https://127.0.0.1:$SWIMD_TLS_PORT

body() {
	printf '<?xml version="1.0" encoding="utf-8"?><CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="1" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="%s"><LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH><IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="%s"/></IPARAMVALUE></IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>' "$1" "$2"
}
# cim URL METHOD CLASS [CURL ARGS...]: status line and headers in
# $t/head, the body in $t/out.
cim() {
	local url=$1 method=$2 class=$3; shift 3
	body "$method" "$class" | curl -s -S -D "$t/head" -o "$t/out" -u alice:secret \
		-H 'Content-Type: application/xml; charset="utf-8"' -H 'CIMOperation: MethodCall' \
		-H "CIMMethod: $method" -H 'CIMObject: root/cimv2' --data-binary @- "$@" "$url/cimom"
}
status() { head -1 "$t/head" | tr -d '\r' | grep -q " $1 " || fail "$2: expected $1: $(head -1 "$t/head")"; }

# --- HTTPS: curl and wbemcli trust the CA; without it they refuse
cim "$TLS" EnumerateInstanceNames SWIM_TestPlain --cacert "$t/ca.pem" || fail "curl over HTTPS"
status 200 "curl over HTTPS"
grep -q '<KEYVALUE VALUETYPE="string" TYPE="string">p</KEYVALUE>' "$t/out" || fail "HTTPS answer: $(cat "$t/out")"
if cim "$TLS" EnumerateInstanceNames SWIM_TestPlain 2>"$t/err"; then fail "curl trusted an unknown CA"; fi
wbemcli -cacert "$t/ca.pem" gi "https://alice:secret@127.0.0.1:$SWIMD_TLS_PORT/root/cimv2:SWIM_TestPlain.InstanceID=\"p\"" \
	>"$t/out" 2>&1 || fail "wbemcli -cacert: $(cat "$t/out")"
grep -q 'Text="plain"' "$t/out" || fail "wbemcli over HTTPS: $(cat "$t/out")"
if wbemcli gi "https://alice:secret@127.0.0.1:$SWIMD_TLS_PORT/root/cimv2:SWIM_TestPlain.InstanceID=\"p\"" \
	>"$t/out" 2>&1; then fail "wbemcli trusted an unknown CA"; fi
# TLS 1.1 is refused
if echo | openssl s_client -connect "127.0.0.1:$SWIMD_TLS_PORT" -tls1_1 >"$t/out" 2>&1 </dev/null; then
	grep -q 'Protocol *: TLSv1.1' "$t/out" && fail "TLS 1.1 accepted"
fi

# --- M-POST: the Man header's prefix names the CIM headers, both ways
body EnumerateInstanceNames SWIM_TestPlain | curl -s -S -X M-POST -D "$t/head" -o "$t/out" -u alice:secret \
	-H 'Content-Type: application/xml; charset="utf-8"' \
	-H 'Man: http://www.dmtf.org/cim/mapping/http/v1.0 ; ns=73' -H '73-CIMOperation: MethodCall' \
	-H '73-CIMMethod: EnumerateInstanceNames' -H '73-CIMObject: root%2Fcimv2' --data-binary @- "$SWIMD_URL/cimom" \
	|| fail "M-POST"
status 200 M-POST
tr -d '\r' <"$t/head" | grep -q '^73-CIMOperation: MethodResponse' || fail "M-POST answer headers: $(cat "$t/head")"
tr -d '\r' <"$t/head" | grep -q '^Ext:' || fail "M-POST answer without Ext: $(cat "$t/head")"
grep -q 'SWIM_TestPlain' "$t/out" || fail "M-POST answer: $(cat "$t/out")"
body EnumerateInstanceNames SWIM_TestPlain | curl -s -S -X M-POST -D "$t/head" -o "$t/out" -u alice:secret \
	-H 'Content-Type: application/xml' -H 'Man: "urn:other-extension"; ns=12' --data-binary @- \
	"$SWIMD_URL/cimom" || fail "M-POST with another extension"
status 510 "M-POST with another extension"
grep -q 'send the request with POST' "$t/out" || fail "510 without advice: $(cat "$t/out")"

# --- limits: a body too large, too many connections from one address
head -c 5000 /dev/zero | tr '\0' ' ' >"$t/big"
curl -s -S -D "$t/head" -o "$t/out" -u alice:secret -H 'Content-Type: application/xml' \
	-H 'CIMOperation: MethodCall' -H 'CIMMethod: EnumerateInstanceNames' -H 'CIMObject: root/cimv2' \
	--data-binary @"$t/big" "$SWIMD_URL/cimom" || fail "large body"
status 413 "a body over http_max_body_bytes"
grep -q 'refused a request from 127.0.0.1: request body of 5000 bytes is larger than 4096 (http_max_body_bytes)' \
	"$SWIMD_LOG" || fail "413 not logged: $(tail -3 "$SWIMD_LOG")"
exec 3<>"/dev/tcp/127.0.0.1/$SWIMD_PORT" 4<>"/dev/tcp/127.0.0.1/$SWIMD_PORT"
sleep 0.3
cim "$SWIMD_URL" EnumerateInstanceNames SWIM_TestPlain
status 503 "a third connection"
tr -d '\r' <"$t/head" | grep -q '^Retry-After: 10' || fail "503 without Retry-After: $(cat "$t/head")"
grep -q 'already 2 connections from this address (http_max_connections_per_ip)' "$t/out" \
	|| fail "503 body: $(cat "$t/out")"
grep -q 'warning: refused a connection from 127.0.0.1' "$SWIMD_LOG" || fail "refused connection not logged"
exec 3>&- 4>&-
sleep 0.3
cim "$SWIMD_URL" EnumerateInstanceNames SWIM_TestPlain
status 200 "after the connections closed"

# --- SIGHUP: a user added while swimd runs logs in after the reload
echo carolpw | "$SWIMD_BIN" --root "$SWIMD_ROOT" --add-user carol --role readonly >/dev/null || fail "add carol"
carol() {
	body EnumerateInstanceNames SWIM_TestPlain | curl -s -S -D "$t/head" -o "$t/out" -u carol:carolpw \
		-H 'Content-Type: application/xml' -H 'CIMOperation: MethodCall' -H 'CIMMethod: EnumerateInstanceNames' \
		-H 'CIMObject: root/cimv2' --data-binary @- "$SWIMD_URL/cimom"
}
carol
status 401 "carol before the reload"
kill -HUP "$SWIMD_PID"
for _ in $(seq 50); do grep -q 'SIGHUP' "$SWIMD_LOG" && break; sleep 0.1; done
sleep 0.2
carol
status 200 "carol after SIGHUP"
grep -q 'SWIM_TestPlain' "$t/out" || fail "carol's answer: $(cat "$t/out")"
swimd_stop
echo "swimd_ops: ok"
