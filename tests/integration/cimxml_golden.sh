#!/bin/bash
# Golden CIM-XML exchanges (tests/data/cimxml/README.md): every request is
# posted to one swimd in file order, and the answer's status line, CIM
# headers and body must be the recorded ones; every XML answer must be
# valid against the DSP0203 2.4.0 DTD. With SWIM_GOLDEN_UPDATE=1 the
# answers are recorded instead (review the diff before committing).
set -u
. "$(dirname "$0")/lib/swimd.sh"
data=$SWIM_TEST_DATA/cimxml
t=$(mktemp -d)
trap 'swimd_cleanup; rm -rf "$t"' EXIT
update=${SWIM_GOLDEN_UPDATE:-}

swimd_setup "$t"
# 20x hit the cap of open enumerations.
printf 'cim_max_open_contexts_per_user = 4\n' >"$SWIMD_ROOT/etc/swim/swim.conf"
swimd_start

password() { case $1 in alice) echo secret;; bob) echo ropass;; esac; }

# What must vary is normalised: swimd's version, enumeration contexts.
normalise() {
	sed -E -e 's/swimd [0-9]+(\.[0-9]+)*, the swim CIM server/swimd VERSION, the swim CIM server/' \
		-e 's/[0-9a-f]{32}/CONTEXT/g'
}

# The status line and the headers that matter, in a fixed order.
head_of() {
	tr -d '\r' <"$1" | awk 'NR == 1 { print; next }
		tolower($0) ~ /^(cimerror|cimoperation|content-type):/ { h[tolower(substr($0, 1, index($0, ":")))] = $0 }
		END { n = split("cimerror: cimoperation: content-type:", k, " ")
		      for (i = 1; i <= n; i++) if (k[i] in h) print h[k[i]] }'
}

n=0; failed=0; context=none
for req in "$data"/*.request.xml; do
	base=${req%.request.xml}
	name=$(basename "$base")
	args=(-H 'Content-Type: application/xml; charset="utf-8"' -H 'CIMOperation: MethodCall')
	user=alice
	while IFS= read -r line; do
		case $line in
		user:*) user=${line#user: } ;;
		sleep:*) sleep "${line#sleep: }" ;;
		*) args+=(-H "$line") ;;
		esac
	done <"$base.request.headers"
	# @CONTEXT@ stands for the last enumeration context swimd gave.
	sed "s/@CONTEXT@/$context/g" "$req" >"$t/request"
	curl -s -S -u "$user:$(password "$user")" -o "$t/body" -D "$t/head" \
		--data-binary @"$t/request" "${args[@]}" "$SWIMD_URL/cimom" || fail "$name: curl failed"
	got=$(sed -n '/NAME="EnumerationContext"/{n;s/.*<VALUE>\([0-9a-f]*\)<\/VALUE>.*/\1/p}' "$t/body")
	[ -n "$got" ] && context=$got
	head_of "$t/head" >"$t/head.got"
	if grep -q '^HTTP/1.1 200' "$t/head.got"; then ext=xml; else ext=txt; fi
	normalise <"$t/body" >"$t/body.got"
	if [ -n "$update" ]; then
		cp "$t/head.got" "$base.response.headers"
		rm -f "$base.response.xml" "$base.response.txt"
		cp "$t/body.got" "$base.response.$ext"
	else
		if ! diff -u "$base.response.headers" "$t/head.got" >"$t/diff" ||
		   ! diff -u "$base.response.$ext" "$t/body.got" >>"$t/diff"; then
			echo "FAIL: $name differs from the recorded answer:" >&2
			head -60 "$t/diff" >&2
			failed=$((failed + 1))
		fi
	fi
	if [ $ext = xml ] && ! xmllint --noout --dtdvalid "$data/DSP0203_2.4.0.dtd" "$t/body" 2>"$t/dtd"; then
		echo "FAIL: $name: the answer is not valid against DSP0203 2.4.0:" >&2
		head -20 "$t/dtd" >&2
		failed=$((failed + 1))
	fi
	n=$((n + 1))
done
[ $n -gt 0 ] || fail "no requests in $data"
[ $failed -eq 0 ] || fail "$failed of $n exchanges failed"

# Hostile bodies left the server serving; every change was audited, the
# refused ones too, and no answer was an internal error.
kill -0 "$SWIMD_PID" || fail "swimd died"
grep -q 'audit: user="alice" client=127.0.0.1 operation=CreateInstance object="root/cimv2:SWIM_TestPlain.InstanceID=\\"q\\"" result="OK"' "$SWIMD_LOG" \
	|| fail "no audit line for CreateInstance: $(grep audit "$SWIMD_LOG" | head -3)"
grep -q 'audit: user="bob" client=127.0.0.1 operation=Add object="root/cimv2:SWIM_TestPlain" result="CIM_ERR_ACCESS_DENIED: ' "$SWIMD_LOG" \
	|| fail "no audit line for the refused method call"
grep -q 'operation=DeleteInstance' "$SWIMD_LOG" || fail "no audit line for DeleteInstance"
if grep -q ' 500\b\|error:' "$SWIMD_LOG"; then fail "internal errors: $(grep ' 500\|error:' "$SWIMD_LOG" | head -3)"; fi
swimd_stop
echo "cimxml_golden: $n exchanges ok"
