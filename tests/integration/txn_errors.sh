#!/bin/bash
# Transactions that cannot finish, and two at once: a second writer waits
# for the first (or gives up after lock_timeout_seconds) and nothing is
# lost; permission errors, a full disk (the space check, and ENOSPC in
# the middle of staging) and a failing system call at every step roll
# back with a clear message and leave verify clean; nothing is ever
# written outside the root, not even through a symlink inside it.
set -eu
t=$(mktemp -d)
mounted=""
cleanup() {
	[ -z "$mounted" ] || umount "$mounted" 2>/dev/null || true
	chattr -R -i "$t" 2>/dev/null || true
	rm -rf "$t"
}
trap cleanup EXIT
S=$SWIM_BIN
export MKVIB_DIR=$t
# shellcheck source=lib/mkvib.sh
. "$SWIM_SOURCE_DIR/tests/integration/lib/mkvib.sh"
# shellcheck source=lib/txn.sh
. "$SWIM_SOURCE_DIR/tests/integration/lib/txn.sh"

# Every file under the root but swim's state, with content and metadata.
snapshot() {
	(cd "$r" && find . -path ./var/lib/swim -prune -o -printf '%p %y %m %s %l\n' |
		sort && find . -path ./var/lib/swim -prune -o -type f -print0 |
		sort -z | xargs -0r sha256sum)
}
# Until a writer holds the lock of $r.
wait_lock() {
	for _ in $(seq 100); do
		[ -s "$r/var/lib/swim/lock" ] && return 0
		sleep 0.02
	done
	fail "no writer took the lock"
}

# packtree NAME TREE OUT: a live package NAME 1.0-1 of the tree as it is
# (mkvib makes its own trees; these need links, modes and sizes)
packtree() {
	cat >"$t/$1.xml" <<XML
<vib version="5.0"><type>bootbank</type><name>$1</name><version>1.0-1</version>
<vendor>test</vendor><summary>$1</summary><acceptance-level>community</acceptance-level>
<live-install-allowed>true</live-install-allowed><live-remove-allowed>true</live-remove-allowed></vib>
XML
	"$SWIM_PACK_BIN" vib build --descriptor "$t/$1.xml" --payload "p=$2" -o "$3" >/dev/null
}

v=$t/v
mkdir "$v"
mkvib "$v/a1.vib" a 1.0-1 --file "opt/a/one=1" --file "opt/a/sub/two=2" --file "etc/a.conf=a"
mkvib "$v/a2.vib" a 2.0-1 --file "opt/a/one=one" --file "opt/a/new/three=3" --file "etc/a.conf=b"
mkvib "$v/b1.vib" b 1.0-1 --file "opt/b/b=b"

# ---- two writers: the second waits, then does its work
newroot 1
SWIM_TEST_FAULT="applying:sleep=1500" "$S" --root "$r" vib install -v "$v/a1.vib" \
	>"$t/first.out" 2>"$t/first.err" &
first=$!
wait_lock
expect 0 "$S" --root "$r" vib install -v "$v/b1.vib"
has "Waiting for the lock held by $first (swim vib install -v $v/a1.vib)" err
wait $first || fail "the first writer failed: $(cat "$t/first.err")"
same "a:1.0-1 b:1.0-1"
clean
# ... or gives up after lock_timeout_seconds, changing nothing
mkdir -p "$r/etc/swim"
echo "lock_timeout_seconds = 1" >"$r/etc/swim/swim.conf"
SWIM_TEST_FAULT="applying:sleep=2500" "$S" --root "$r" vib install -v "$v/a2.vib" \
	>"$t/first.out" 2>"$t/first.err" &
first=$!
wait_lock
expect 1 "$S" --root "$r" vib remove -n b
has "is locked by $first (swim vib install -v $v/a2.vib); gave up after 1 seconds (lock_timeout_seconds)" err
wait $first || fail "the first writer failed: $(cat "$t/first.err")"
same "a:2.0-1 b:1.0-1"
clean
rm "$r/etc/swim/swim.conf"

# ---- a failing system call at each step rolls back, with the reason
newroot 2
expect 0 "$S" --root "$r" vib install -v "$v/a1.vib"
before=$(snapshot)
for point in plan journal mkdir stage applying swap sync commit; do
	expect 1 env SWIM_TEST_FAULT="$point:fail=EIO" "$S" --root "$r" vib install -v "$v/a2.vib"
	has "Input/output error" err
	same "a:1.0-1"
	[ "$(snapshot)" = "$before" ] || fail "files changed after a failure at $point"
	clean
done
expect 1 env SWIM_TEST_FAULT="stage#2:fail=ENOSPC" "$S" --root "$r" vib install -v "$v/a2.vib"
has "No space left on device" err
[ "$(snapshot)" = "$before" ] || fail "files changed after ENOSPC"
expect 0 "$S" --root "$r" host history
has "Result: failed" out
has "No space left on device" out

# ---- a live install writes its files while verifying them (prestaging);
# when that fails, staging reads them from the payload store: either way
# the same files, modes, times and links, and an empty staging area
mkdir -p "$t/ptree/opt/p/d"
head -c 100000 /dev/urandom >"$t/ptree/opt/p/d/f"
chmod 0750 "$t/ptree/opt/p/d/f"
ln "$t/ptree/opt/p/d/f" "$t/ptree/opt/p/hard"
ln -s d/f "$t/ptree/opt/p/soft"
touch -h -d @1000000000 "$t/ptree/opt/p/soft" "$t/ptree/opt/p/d/f"
packtree p "$t/ptree" "$t/p.vib"
k=0
for fault in "" "prestage#2:fail=ENOSPC" "prestage#3:fail=EIO" "prestage:fail=EROFS"; do
	k=$((k + 1))
	newroot "p$k"
	expect 0 env ${fault:+SWIM_TEST_FAULT=$fault} "$S" --root "$r" vib install -v "$t/p.vib"
	same "p:1.0-1"
	clean
	[ -z "$(ls -A "$r/var/lib/swim/staging")" ] || fail "staging left full ($fault)"
	[ "$r/opt/p/hard" -ef "$r/opt/p/d/f" ] || fail "hard link lost ($fault)"
	[ "$(stat -c '%a %Y' "$r/opt/p/d/f")" = "750 1000000000" ] ||
		fail "mode or time lost ($fault): $(stat -c '%a %Y' "$r/opt/p/d/f")"
	if [ $k = 1 ]; then
		want=$(snapshot)
	else
		[ "$(snapshot)" = "$want" ] || fail "files differ after a failed prestage ($fault)"
	fi
done

# ---- permission errors: an immutable directory, an immutable old file
if chattr +i "$r/opt/a/sub" 2>/dev/null; then
	expect 1 "$S" --root "$r" vib remove -n a
	has "Operation not permitted" err
	chattr -i "$r/opt/a/sub"
	same "a:1.0-1"
	[ "$(snapshot)" = "$before" ] || fail "files changed after EPERM"
	clean
	chattr +i "$r/etc/a.conf"
	expect 1 "$S" --root "$r" vib install -v "$v/a2.vib"
	has "$r/etc/a.conf" err
	has "Operation not permitted" err
	chattr -i "$r/etc/a.conf"
	[ "$(snapshot)" = "$before" ] || fail "files changed after EPERM on swap"
	clean
	expect 0 "$S" --root "$r" vib install -v "$v/a2.vib"
else
	echo "txn_errors: chattr not available here; immutable-file cases skipped"
fi

# ---- a full disk: the space check says how much is needed
mkdir "$t/small"
if mount -t tmpfs -o size=2m tmpfs "$t/small" 2>/dev/null; then
	mounted=$t/small
	r=$t/small
	"$S" --root "$r" acceptance set --level community >/dev/null
	head -c 3000000 /dev/urandom >"$t/big.bin"
	mkdir -p "$t/bigtree/opt"
	cp "$t/big.bin" "$t/bigtree/opt/big.bin"
	packtree big "$t/bigtree" "$t/big.vib"
	expect 1 "$S" --root "$r" vib install -v "$t/big.vib"
	has "Not enough disk space under $r/: the transaction needs" err
	has "are available." err
	[ ! -e "$r/opt" ] || fail "files written despite the space check"
	same ""
	umount "$t/small"
	mounted=""
else
	echo "txn_errors: tmpfs cannot be mounted here; the space check is covered by ENOSPC injection only"
fi

# ---- nothing outside the root
newroot 3
mkdir "$t/outside"
# a package cannot ship a link out of the root...
mkvib "$v/l1.vib" l 1.0-1 --link "etc=/etc" 2>"$t/err" && fail "a link out of the tree was packed"
# ...and a link put into the root otherwise does not lead writes out:
# absolute links are read inside the root, so etc -> /etc loops
ln -s /etc "$r/etc"
mkvib "$v/x1.vib" x 1.0-1 --file "etc/x-from-swim=x"
expect 1 "$S" --root "$r" vib install -v "$v/x1.vib"
has "$r/etc" err
[ ! -e /etc/x-from-swim ] || fail "wrote /etc/x-from-swim outside the root"
rm "$r/etc"
# a link to a directory outside leads nowhere inside the root
ln -s "$t/outside" "$r/etc"
expect 1 "$S" --root "$r" vib install -v "$v/x1.vib"
has "is not a directory" err
[ -z "$(ls -A "$t/outside")" ] || fail "wrote outside the root: $(ls -A "$t/outside")"
rm "$r/etc"
# a relative link climbing out is held at the root: etc is the root itself
ln -s ../../../../../../.. "$r/etc"
expect 0 "$S" --root "$r" vib install -v "$v/x1.vib"
[ -f "$r/x-from-swim" ] || fail "the file did not land inside the root"
[ ! -e /etc/x-from-swim ] && [ ! -e "$t/x-from-swim" ] || fail "wrote through ../ out of the root"
clean
expect 0 "$S" --root "$r" vib remove -n x
[ ! -e "$r/x-from-swim" ] || fail "remove through the link"
rm "$r/etc"
same ""
clean
# a link inside the root that a package made is followed inside the root
mkvib "$v/k1.vib" k 1.0-1 --link "lnk=opt/k" --file "opt/k/base=k"
mkvib "$v/k2.vib" kk 1.0-1 --file "lnk/through=kk"
expect 0 "$S" --root "$r" vib install -v "$v/k1.vib"
expect 0 "$S" --root "$r" vib install -v "$v/k2.vib"
[ -f "$r/opt/k/through" ] || fail "file through an in-root link not placed"
clean
echo "txn_errors: ok"
