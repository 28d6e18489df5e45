# Sourced by the transaction tests: checks on a root $r through swim
# ($SWIM_BIN); output of the last command in $t/out and $t/err.

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect STATUS CMD...
expect() {
	local want=$1 got=0
	shift
	"$@" >"$t/out" 2>"$t/err" || got=$?
	[ "$got" = "$want" ] || fail "$* exited $got, not $want: $(cat "$t/out" "$t/err")"
}
has() { grep -qF -- "$1" "$t/$2" || fail "'$1' not in $2: $(cat "$t/$2")"; }
hasnt() { ! grep -qF -- "$1" "$t/$2" || fail "'$1' in $2: $(cat "$t/$2")"; }
# "name:version ..." of the installed packages, sorted
installed() { "$SWIM_BIN" --root "$r" --json vib list | python3 -c '
import json, sys
print(" ".join(sorted(p["Name"] + ":" + p["Version"] for p in json.load(sys.stdin))))'; }
same() { local got; got=$(installed); [ "$got" = "$1" ] || fail "installed: '$got', expected '$1'"; }
# verify finds nothing wrong
clean() { expect 0 "$SWIM_BIN" --root "$r" vib verify; [ ! -s "$t/out" ] || fail "verify: $(cat "$t/out")"; }
# a new root $t/rootN accepting community packages
newroot() {
	r=$t/root$1
	mkdir -p "$r"
	"$SWIM_BIN" --root "$r" acceptance set --level community >/dev/null
}
