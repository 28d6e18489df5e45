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
# "name:version ..." of the installed packages, sorted (from the table:
# no interpreter to start)
_names() { awk 'NR > 2 { print $1 ":" $2 }' | LC_ALL=C sort | paste -sd ' '; }
installed() { "$SWIM_BIN" --root "$r" vib list | _names; }
same() { local got; got=$(installed); [ "$got" = "$1" ] || fail "installed: '$got', expected '$1'"; }
# verify finds nothing wrong
clean() { expect 0 "$SWIM_BIN" --root "$r" vib verify; [ ! -s "$t/out" ] || fail "verify: $(cat "$t/out")"; }
# a new root $t/rootN accepting community packages
newroot() {
	r=$t/root$1
	mkdir -p "$r"
	"$SWIM_BIN" --root "$r" acceptance set --level community >/dev/null
}
# "name:version ..." of the pending image's packages ("none" without one)
pending() {
	local o
	o=$("$SWIM_BIN" --root "$r" vib list --rebooting-image 2>/dev/null) || { echo none; return; }
	_names <<<"$o"
}
same_pending() { local got; got=$(pending); [ "$got" = "$1" ] || fail "pending: '$got', expected '$1'"; }
# The payload store holds exactly the payloads of the current, pending
# and previous images: as files, and as the database lists them.
store_exact() {
	local db=$r/var/lib/swim/swim.db need listed files
	need=$(sqlite3 -readonly "$db" "SELECT DISTINCT pp.sha256 FROM package_payloads pp
		JOIN image_packages i ON i.pkg = pp.pkg WHERE pp.sha256 IS NOT NULL ORDER BY 1")
	listed=$(sqlite3 -readonly "$db" "SELECT sha256 FROM store ORDER BY 1")
	files=$(find "$r/var/lib/swim/store" -type f -printf '%f\n' 2>/dev/null | LC_ALL=C sort)
	[ "$need" = "$listed" ] && [ "$listed" = "$files" ] ||
		fail "payload store: needed [$need] listed [$listed] files [$files]"
}
