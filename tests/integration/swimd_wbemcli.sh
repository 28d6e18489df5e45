#!/bin/bash
# swimd driven by Debian's wbemcli (sblim-wbemcli 1.6): every operation it
# has (ei ein gi ci mi di ai ain ri rin gc ec ecn gp sp cm), as an admin,
# as a read-only user and with bad credentials.
#
# wbemcli 1.6 cannot read EmbeddedObject on PROPERTY.ARRAY, VALUE.NULL in
# arrays or VALUE.REFARRAY (all valid CIM-XML), so whole SWIM_TestElement
# instances and classes are read with property lists, and changes and
# method calls go to SWIM_TestPlain and SWIM_TestAssociation.
set -u
. "$(dirname "$0")/lib/swimd.sh"
command -v wbemcli >/dev/null || fail "wbemcli is not installed (apt-get install sblim-wbemcli)"
t=$(mktemp -d)
trap 'swimd_cleanup; rm -rf "$t"' EXIT
swimd_setup "$t"
swimd_start

A=http://alice:secret@127.0.0.1:$SWIMD_PORT
R=http://bob:ropass@127.0.0.1:$SWIMD_PORT
C=root/cimv2

# ok NAME CMD...: must succeed; its output is in $t/out.
ok() {
	local name=$1; shift
	"$@" >"$t/out" 2>"$t/err" || fail "$name: exit $?: $(cat "$t/err" "$t/out")"
}
# refused NAME TEXT CMD...: must fail saying TEXT.
refused() {
	local name=$1 text=$2; shift 2
	if "$@" >"$t/out" 2>"$t/err"; then fail "$name: succeeded: $(cat "$t/out")"; fi
	grep -q -- "$text" "$t/err" "$t/out" || fail "$name: no '$text' in: $(cat "$t/err" "$t/out")"
}
has() { grep -q -- "$2" "$t/out" || fail "$1: no '$2' in: $(cat "$t/out")"; }
lines() {
	[ "$(grep -c . "$t/out")" = "$2" ] || fail "$1: expected $2 lines: $(cat "$t/out")"
}

# --- reading, both roles
for U in "$A" "$R"; do
	ok ei wbemcli ei "$U/$C:SWIM_ComputerSystem"
	has ei 'SWIM_ComputerSystem.CreationClassName="SWIM_ComputerSystem",Name="testhost"'
	has ei 'NameFormat="IP"'
	ok ein wbemcli ein "$U/$C:CIM_ManagedElement"
	lines ein 5
	has ein 'SWIM_TestSubElement.InstanceID="c"'
	has ein 'SWIM_TestPlain.InstanceID="p"'
	ok gi wbemcli gi "$U/$C:SWIM_TestPlain.InstanceID=\"p\""
	has gi 'Text="plain",Count=1'
	ok "ei with properties" wbemcli ei "$U/$C:SWIM_TestElement" InstanceID,PString,PSubOnly
	lines "ei with properties" 3
	has "ei with properties" 'PString="<tag> & "quotes" .apostrophes. ünicöde ✓ 日本"'
	has "ei with properties" 'InstanceID="c",PString=,PSubOnly="sub"'
	ok gc wbemcli gc "$U/$C:SWIM_TestPlain"
	has gc 'Text=,Count=,Flag=,Tags=,Fixed='
	ok ec wbemcli ec "$U/$C:CIM_System"
	has ec 'root/cimv2:CIM_ComputerSystem '
	ok ecn wbemcli ecn "$U/$C:CIM_System"
	has ecn 'root/cimv2:SWIM_ComputerSystem'
	ok gp wbemcli gp "$U/$C:SWIM_TestPlain.InstanceID=\"p\"" Text
	has gp '^plain$'
	ok "interop profiles" wbemcli ei "$U/interop:CIM_RegisteredProfile" InstanceID
	lines "interop profiles" 1
	has "interop profiles" '/interop:CIM_RegisteredProfile.InstanceID="DMTF+Profile Registration+1.0.0"'
done

# --- associations
E="$A/$C:SWIM_TestElement.InstanceID=\"a\""
ok ai wbemcli ai "$E" InstanceID
lines ai 2
has ai 'testhost/root/cimv2:SWIM_TestSubElement.InstanceID="c" InstanceID="c"'
ok ain wbemcli ain -arc SWIM_TestSubElement "$E"
lines ain 1
has ain 'SWIM_TestSubElement.InstanceID="c"'
ok ri wbemcli ri -ar Source "$E"
lines ri 2
has ri 'Weight=2'
ok rin wbemcli rin -ar Target "$E"
lines rin 0
ok "ain to the object manager" wbemcli ain -ac CIM_ElementConformsToProfile \
	"$R/root/interop:CIM_RegisteredProfile.InstanceID=\"DMTF+Profile Registration+1.0.0\""
has "ain to the object manager" 'CIM_ObjectManager.CreationClassName="CIM_ObjectManager",Name="swim:testhost"'

# --- changes: the admin may, the read-only user may not
Q="$C:SWIM_TestPlain.InstanceID=\"q\""
ok ci wbemcli ci "$A/$Q" 'InstanceID=q,Text=new,Count=3,Tags=x,y'
has ci 'SWIM_TestPlain.InstanceID="q"'
refused "ci read-only" CIM_ERR_ACCESS_DENIED wbemcli ci "$R/$C:SWIM_TestPlain.InstanceID=\"r\"" 'InstanceID=r'
refused "ci again" CIM_ERR_ALREADY_EXISTS wbemcli ci "$A/$Q" 'InstanceID=q'
ok gi wbemcli gi "$A/$Q"
has gi 'Text="new",Count=3,Flag=,Tags="x","y",Fixed=7'
ok mi wbemcli mi "$A/$Q" 'Text=changed'
refused "mi read-only" CIM_ERR_ACCESS_DENIED wbemcli mi "$R/$Q" 'Text=mine'
refused "mi read-only property" 'Fixed of SWIM_TestPlain is read-only' wbemcli mi "$A/$Q" 'Fixed=8'
ok sp wbemcli sp "$A/$Q" Count=5
refused "sp read-only" CIM_ERR_ACCESS_DENIED wbemcli sp "$R/$Q" Count=6
ok gp wbemcli gp "$R/$Q" Count
has gp '^5$'
ok gi wbemcli gi "$R/$Q"
has gi 'Text="changed",Count=5'
refused "di read-only" CIM_ERR_ACCESS_DENIED wbemcli di "$R/$Q"
ok di wbemcli di "$A/$Q"
refused "gi deleted" CIM_ERR_NOT_FOUND wbemcli gi "$A/$Q"
refused "gp unknown" CIM_ERR_NO_SUCH_PROPERTY wbemcli gp "$A/$C:SWIM_TestPlain.InstanceID=\"p\"" Nope

# an association, with references given as wbemcli writes them
AS="$C:SWIM_TestAssociation.Source=root/cimv2:SWIM_TestElement.InstanceID=\"b\",Target=root/cimv2:SWIM_TestElement.InstanceID=\"a\""
ok "ci association" wbemcli ci "$A/$AS" \
	'Source=localhost/root/cimv2:SWIM_TestElement.InstanceID="b",Target=localhost/root/cimv2:SWIM_TestElement.InstanceID="a",Weight=9'
ok "sp association" wbemcli sp "$A/$AS" Weight=10
ok "gi association" wbemcli gi "$A/$AS"
has "gi association" 'Weight=10'
ok "ain after ci" wbemcli ain "$A/$C:SWIM_TestElement.InstanceID=\"b\""
has "ain after ci" 'SWIM_TestElement.InstanceID="a"'
ok "di association" wbemcli di "$A/$AS"
ok ein wbemcli ein "$A/$C:SWIM_TestAssociation"
lines ein 2

# --- methods
P="$C:SWIM_TestPlain.InstanceID=\"p\""
ok cm wbemcli cm "$A/$P" 'Echo.Text="héllo",Numbers=1,2,3'
has cm 'Echo: 5, TextOut (string): héllo, NumbersOut (uint16): 1,2,3'
ok "cm with a reference" wbemcli cm "$A/$P" 'Echo.Text="x",Peer=localhost/root/cimv2:SWIM_TestPlain.InstanceID="p"'
has "cm with a reference" 'PeerOut (reference)'
ok "cm static" wbemcli cm "$A/$C:SWIM_TestPlain" 'Add.A=2,B=40'
has "cm static" 'Add: 42'
refused "cm read-only" CIM_ERR_ACCESS_DENIED wbemcli cm "$R/$P" 'Echo.Text="x"'
refused "cm unknown" CIM_ERR_METHOD_NOT_FOUND wbemcli cm "$A/$P" Nope

# --- credentials
for bad in "http://alice:wrong@127.0.0.1:$SWIMD_PORT" "http://nobody:x@127.0.0.1:$SWIMD_PORT" \
	"http://127.0.0.1:$SWIMD_PORT"; do
	if wbemcli ei "$bad/$C:SWIM_ComputerSystem" >"$t/out" 2>&1; then
		fail "bad credentials accepted: $bad"
	fi
	grep -qi 'username/password\|401\|unauthorized' "$t/out" || fail "bad credentials: $(cat "$t/out")"
done
grep -q 'login failed for user alice from 127.0.0.1' "$SWIMD_LOG" || fail "failed login not logged"

# --- the audit log: each change, by whom, with its outcome
grep -q 'audit: user="alice" client=127.0.0.1 operation=ModifyInstance object="root/cimv2:SWIM_TestPlain.InstanceID=\\"q\\"" result="OK"' "$SWIMD_LOG" \
	|| fail "ModifyInstance not audited"
grep -q 'audit: user="bob" client=127.0.0.1 operation=DeleteInstance .* result="CIM_ERR_ACCESS_DENIED' "$SWIMD_LOG" \
	|| fail "refused DeleteInstance not audited"
grep -q 'audit: user="alice" client=127.0.0.1 operation=Add object="root/cimv2:SWIM_TestPlain" result="OK"' "$SWIMD_LOG" \
	|| fail "static method call not audited"
if grep -q 'secret\|ropass' "$SWIMD_LOG"; then fail "a password is in the log"; fi
swimd_stop
echo "swimd_wbemcli: ok"
