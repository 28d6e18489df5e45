#!/bin/bash
# bench/install: N generated packages (default 1,000 of 100 files, about
# 10 KiB each: 100,000 files, about 1 GiB) installed into an empty root
# by one `swim vib install -v ...` (resolve, verify, payload store,
# staging, swap, syncfs, commit), against, in the same run and on the
# same payloads:
#   the floor      tar -xzf of each payload, then sync
#   the incumbent  dpkg --root R --force-all -i of equivalent .deb files
#                  (dpkg-deb --build -Zgzip of the same trees)
# Goals: swim within 1.5x the floor, at least 3x faster than dpkg.
# Usage: install [N] [FILES] [KIB]   (work files under $TMPDIR, removed)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/packages.sh
. "$here/lib/packages.sh"
bench_setup install "$@"

t_gen=$(timed gen_packages "$n" "$files" "$kib")
gen_floor_inputs
bytes=$(du -sb --exclude=DEBIAN "$work/trees" | cut -f1)
nfiles=$(find "$work/trees" -type f | wc -l)
packed=$(du -sb "$work/vibs" | cut -f1)
echo "$n packages, $nfiles files, $((bytes / 1048576)) MiB ($((packed / 1048576)) MiB packed); generated in $t_gen s"

args=()
for v in "$work"/vibs/*.vib; do
	args+=(-v "$v")
done
# Rounds of swim, the floor and dpkg in turn, each into a fresh root: on
# a shared machine the disk's and the CPUs' speed change from minute to
# minute, so each ratio is taken within its round and the median of
# those is reported, with the median time of each step (a lone run each
# gave dpkg / swim anywhere from 2.6 to 3.6).
rounds=${SWIM_BENCH_ROUNDS:-3}
ts=() tt=() td=()
# Nothing is deleted until the end: right after a tree of 100,000 files
# is deleted, creating files is slow for a while (ext4 without a journal,
# as on the machine of bench/RESULTS.md, scans past recently freed
# inodes: tar took 18.5-24.4 s there after rm -rf, 11.3 s before), which
# would charge whichever step comes next for the previous round's cleanup.
for ((r = 0; r < rounds; r++)); do
	swim_root "$work/swim$r"
	sync
	ts+=("$(timed "$bin/swim" --root "$work/swim$r" vib install "${args[@]}")")
	got=$("$bin/swim" --root "$work/swim$r" vib list | tail -n +3 | wc -l)
	[ "$got" = "$n" ] || { echo "install: $got packages installed, not $n" >&2; exit 1; }

	mkdir "$work/tar$r"
	sync
	tt+=("$(timed sh -c 'for f in "$0"/tgz/*.tgz; do tar -xzf "$f" -C "$1" || exit 1; done; sync' \
		"$work" "$work/tar$r")")

	d=$work/dpkg$r
	mkdir -p "$d/var/lib/dpkg/info" "$d/var/lib/dpkg/updates" "$d/var/lib/dpkg/triggers"
	touch "$d/var/lib/dpkg/status" "$d/var/lib/dpkg/available"
	sync
	td+=("$(timed sh -c 'dpkg --root="$1" --force-all -i "$0"/debs/*.deb && sync' \
		"$work" "$d")")
	echo "round $((r + 1)): swim ${ts[r]} s, floor ${tt[r]} s, dpkg ${td[r]} s"
done

echo
echo "median times of $rounds rounds:"
results $((bytes / 1048576)) "$nfiles" "swim vib install:$(median "${ts[@]}")" \
	"tar -xzf + sync (floor):$(median "${tt[@]}")" \
	"dpkg --force-all -i:$(median "${td[@]}")"
echo
echo "swim / floor: $(ratios "${ts[*]}" "${tt[*]}") (goal <= 1.5x)"
echo "dpkg / swim: $(ratios "${td[*]}" "${ts[*]}") (goal >= 3x)"
# The floor's own margin over dpkg: when the disk is the bottleneck, this
# bounds what an installer writing as much as tar can show.
echo "dpkg / floor: $(ratios "${td[*]}" "${tt[*]}") (the floor's own margin)"
