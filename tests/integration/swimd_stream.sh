#!/bin/bash
# Large results against a real swimd with 20,000 generated instances
# (--test-instances): EnumerateInstances, EnumerateInstanceNames,
# ExecQuery, Associators and References stream (chunked, complete, valid
# against the DTD, read by wbemcli) while swimd's private memory stays
# flat; pull enumerations page through everything, and the per-user cap
# and expiry of enumeration contexts hold; SIGTERM during a long answer
# lets it finish and swimd exits 0.
set -u
. "$(dirname "$0")/lib/swimd.sh"
t=$(mktemp -d)
curl_pid=
trap 'swimd_cleanup; [ -n "$curl_pid" ] && kill "$curl_pid" 2>/dev/null; rm -rf "$t"' EXIT
N=20000
dtd=$SWIM_TEST_DATA/cimxml/DSP0203_2.4.0.dtd

swimd_setup "$t"
printf 'cim_max_open_contexts_per_user = 3\n' >"$SWIMD_ROOT/etc/swim/swim.conf"
swimd_start --test-instances $N

# post METHOD PARAMS [USER PASSWORD]: the answer's body on stdout, its
# headers in $t/head.
post() {
	printf '<?xml version="1.0" encoding="utf-8"?><CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="1" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="%s"><LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH>%s</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>' "$1" "$2" |
	curl -s -S -u "${3:-alice}:${4:-secret}" -D "$t/head" -H 'Content-Type: application/xml; charset="utf-8"' \
		-H 'CIMOperation: MethodCall' -H "CIMMethod: $1" -H 'CIMObject: root/cimv2' \
		--data-binary @- "$SWIMD_URL/cimom"
}
class() { printf '<IPARAMVALUE NAME="ClassName"><CLASSNAME NAME="%s"/></IPARAMVALUE>' "$1"; }
param() { printf '<IPARAMVALUE NAME="%s"><VALUE>%s</VALUE></IPARAMVALUE>' "$1" "$2"; }
element() {
	printf '<INSTANCENAME CLASSNAME="SWIM_TestElement"><KEYBINDING NAME="InstanceID"><KEYVALUE>%s</KEYVALUE></KEYBINDING></INSTANCENAME>' "$1"
}
count() { grep -c -- "$1" "$2"; }
rss() { sed -n "s/^RssAnon:[[:space:]]*\\([0-9]*\\) kB/\\1/p" "/proc/$SWIMD_PID/status"; }
chunked() { tr -d '\r' <"$t/head" | grep -qi '^transfer-encoding: chunked' || fail "$1 was not streamed: $(cat "$t/head")"; }
valid() {
	xmllint --noout --dtdvalid "$dtd" "$2" 2>"$t/dtd" || fail "$1 is not valid: $(head -5 "$t/dtd")"
}
# peak_while PID: the highest RssAnon of swimd (KiB) until PID exits.
peak_while() {
	local peak=0 now
	while kill -0 "$1" 2>/dev/null; do
		now=$(rss)
		[ "$now" -gt "$peak" ] && peak=$now
		sleep 0.02
	done
	echo "$peak"
}

# --- EnumerateInstances of N+1 instances, twice: complete, streamed, and
# the server's private memory does not grow with the answer.
post EnumerateInstances "$(class SWIM_TestPlain)" >"$t/warm.xml"
before=$(rss)
post EnumerateInstances "$(class SWIM_TestPlain)" >"$t/enum.xml" &
curl_pid=$!
peak=$(peak_while $curl_pid)
wait $curl_pid || fail "EnumerateInstances: curl failed"
curl_pid=
chunked EnumerateInstances
size=$(stat -c %s "$t/enum.xml")
[ "$size" -gt 20000000 ] || fail "EnumerateInstances: only $size bytes"
[ "$(count '<VALUE.NAMEDINSTANCE>' "$t/enum.xml")" = $((N + 1)) ] || fail "EnumerateInstances: not every instance"
grep -q '<VALUE>gen-020000</VALUE>' "$t/enum.xml" || fail "EnumerateInstances: the last instance is missing"
tail -1 "$t/enum.xml" | grep -q '^</CIM>$' || fail "EnumerateInstances: the answer does not end"
valid EnumerateInstances "$t/enum.xml"
after=$(rss)
echo "EnumerateInstances: $size bytes; swimd RssAnon ${before} KiB before, peak ${peak}, ${after} after"
# (AddressSanitizer keeps freed memory in quarantine: no figure to judge.)
if ! ldd "$SWIMD_BIN" | grep -q libasan; then
	[ $((peak - before)) -lt 8192 ] || fail "memory grew with the answer: $before KiB before, $peak KiB at the peak"
	[ $((after - before)) -lt 2048 ] || fail "memory kept after the answer: $before KiB before, $after KiB after"
fi
cmp -s "$t/warm.xml" "$t/enum.xml" || fail "two enumerations differ"

# --- the other enumerations that stream
post EnumerateInstanceNames "$(class CIM_ManagedElement)" >"$t/names.xml"
chunked EnumerateInstanceNames
[ "$(count "<INSTANCENAME " "$t/names.xml")" = $((N + 5)) ] || fail "EnumerateInstanceNames: not every name"
valid EnumerateInstanceNames "$t/names.xml"
post ExecQuery "$(param QueryLanguage 'DMTF:CQL')$(param Query 'SELECT InstanceID, Count FROM SWIM_TestPlain WHERE Count &gt;= 5000')" >"$t/query.xml"
chunked ExecQuery
[ "$(count '<VALUE.OBJECTWITHPATH>' "$t/query.xml")" = $((N - 4999)) ] || fail "ExecQuery: wrong count"
if grep -q '"Text"' "$t/query.xml"; then fail "ExecQuery: the select list was not applied"; fi
valid ExecQuery "$t/query.xml"
# wbemcli reads a streamed answer like any other
wbemcli ein "http://alice:secret@127.0.0.1:$SWIMD_PORT/root/cimv2:SWIM_TestPlain" >"$t/ein" 2>&1 \
	|| fail "wbemcli ein: $(tail -3 "$t/ein")"
[ "$(grep -c 'SWIM_TestPlain.InstanceID=' "$t/ein")" = $((N + 1)) ] || fail "wbemcli ein: not every name"

# Associators and References of one element with many associations.
for i in $(seq 150); do
	post CreateInstance "<IPARAMVALUE NAME=\"NewInstance\"><INSTANCE CLASSNAME=\"SWIM_TestElement\"><PROPERTY NAME=\"InstanceID\" TYPE=\"string\"><VALUE>e$i</VALUE></PROPERTY></INSTANCE></IPARAMVALUE>" >"$t/out"
	grep -q '<INSTANCENAME' "$t/out" || fail "CreateInstance e$i: $(cat "$t/out")"
	post CreateInstance "<IPARAMVALUE NAME=\"NewInstance\"><INSTANCE CLASSNAME=\"SWIM_TestAssociation\"><PROPERTY.REFERENCE NAME=\"Source\" REFERENCECLASS=\"SWIM_TestElement\"><VALUE.REFERENCE>$(element b)</VALUE.REFERENCE></PROPERTY.REFERENCE><PROPERTY.REFERENCE NAME=\"Target\" REFERENCECLASS=\"SWIM_TestElement\"><VALUE.REFERENCE>$(element "e$i")</VALUE.REFERENCE></PROPERTY.REFERENCE></INSTANCE></IPARAMVALUE>" >"$t/out"
	grep -q '<INSTANCENAME' "$t/out" || fail "CreateInstance association $i: $(cat "$t/out")"
done
post Associators "<IPARAMVALUE NAME=\"ObjectName\">$(element b)</IPARAMVALUE>" >"$t/assoc.xml"
chunked Associators
[ "$(count '<VALUE.OBJECTWITHPATH>' "$t/assoc.xml")" = 151 ] || fail "Associators: wrong count"
valid Associators "$t/assoc.xml"
post References "<IPARAMVALUE NAME=\"ObjectName\">$(element b)</IPARAMVALUE>" >"$t/refs.xml"
[ "$(count '<VALUE.OBJECTWITHPATH>' "$t/refs.xml")" = 151 ] || fail "References: wrong count"
valid References "$t/refs.xml"

# --- a pull enumeration of everything, 7,000 at a time
post OpenEnumerateInstances "$(class SWIM_TestPlain)$(param MaxObjectCount 7000)" >"$t/page"
total=0; pages=0
while :; do
	total=$((total + $(count '<VALUE.INSTANCEWITHPATH>' "$t/page")))
	pages=$((pages + 1))
	ctx=$(sed -n '/NAME="EnumerationContext"/{n;s/.*<VALUE>\([0-9a-f]*\)<\/VALUE>.*/\1/p}' "$t/page")
	[ -n "$ctx" ] || break
	post PullInstancesWithPath "$(param EnumerationContext "$ctx")$(param MaxObjectCount 7000)" >"$t/page"
done
[ $total = $((N + 1)) ] && [ $pages = 3 ] || fail "pull: $total instances in $pages pages"

# --- at most 3 open enumerations per user; expired ones do not count
open() { post OpenEnumerateInstancePaths "$(class SWIM_TestPlain)$(param MaxObjectCount 1)$2" "$1" "$3"; }
for i in 1 2 3; do
	open alice '' secret | grep -q '<VALUE>FALSE</VALUE>' || fail "open $i"
done
open alice '' secret >"$t/out"
grep -q 'CODE="27" DESCRIPTION="user alice has 3 open enumerations already (cim_max_open_contexts_per_user)' "$t/out" \
	|| fail "the 4th open enumeration: $(cat "$t/out")"
# an enumeration that ends at once takes no place
post OpenEnumerateInstancePaths "$(class SWIM_TestAssociation)$(param MaxObjectCount 500)" | grep -q '<VALUE>TRUE</VALUE>' \
	|| fail "a whole enumeration at the cap"
# another user has a cap of his own
for i in 1 2 3; do
	open bob "$(param OperationTimeout 1)" ropass | grep -q '<VALUE>FALSE</VALUE>' || fail "bob's open $i"
done
open bob '' ropass | grep -q 'CODE="27"' || fail "bob's 4th"
sleep 2.5
open bob '' ropass | grep -q '<VALUE>FALSE</VALUE>' || fail "expired enumerations still count"

# --- SIGTERM during a long answer: it finishes, swimd exits 0
post EnumerateInstances "$(class SWIM_TestPlain)" >/dev/null   # warm
printf '<?xml version="1.0" encoding="utf-8"?><CIM CIMVERSION="2.0" DTDVERSION="2.0"><MESSAGE ID="1" PROTOCOLVERSION="1.0"><SIMPLEREQ><IMETHODCALL NAME="EnumerateInstances"><LOCALNAMESPACEPATH><NAMESPACE NAME="root"/><NAMESPACE NAME="cimv2"/></LOCALNAMESPACEPATH>%s</IMETHODCALL></SIMPLEREQ></MESSAGE></CIM>' "$(class SWIM_TestPlain)" >"$t/req"
curl -s -S -u alice:secret --limit-rate 8M -H 'Content-Type: application/xml' -H 'CIMOperation: MethodCall' \
	-H 'CIMMethod: EnumerateInstances' -H 'CIMObject: root/cimv2' --data-binary @"$t/req" \
	-o "$t/slow.xml" "$SWIMD_URL/cimom" &
curl_pid=$!
for _ in $(seq 100); do [ -s "$t/slow.xml" ] && break; sleep 0.02; done
[ -s "$t/slow.xml" ] || fail "the slow answer did not start"
kill -TERM "$SWIMD_PID"
wait $curl_pid || fail "the answer in progress was cut by SIGTERM"
curl_pid=
rc=0; wait "$SWIMD_PID" || rc=$?
[ $rc = 0 ] || fail "swimd exited $rc after SIGTERM"
SWIMD_PID=
cmp -s "$t/slow.xml" "$t/enum.xml" || fail "the answer in progress is not the whole answer"
grep -q 'info: stopped' "$SWIMD_LOG" || fail "no 'stopped' in the log"
echo "swimd_stream: ok"
