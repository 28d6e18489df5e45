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
swim_root "$work/swim"
sync
t_swim=$(timed "$bin/swim" --root "$work/swim" vib install "${args[@]}")
got=$("$bin/swim" --root "$work/swim" vib list | tail -n +3 | wc -l)
[ "$got" = "$n" ] || { echo "install: $got packages installed, not $n" >&2; exit 1; }

mkdir "$work/tar"
sync
t_tar=$(timed sh -c 'for f in "$0"/tgz/*.tgz; do tar -xzf "$f" -C "$1" || exit 1; done; sync' \
	"$work" "$work/tar")

mkdir -p "$work/dpkg/var/lib/dpkg/info" "$work/dpkg/var/lib/dpkg/updates" \
	"$work/dpkg/var/lib/dpkg/triggers"
touch "$work/dpkg/var/lib/dpkg/status" "$work/dpkg/var/lib/dpkg/available"
sync
t_dpkg=$(timed sh -c 'dpkg --root="$1" --force-all -i "$0"/debs/*.deb && sync' \
	"$work" "$work/dpkg")

results $((bytes / 1048576)) "$nfiles" "swim vib install:$t_swim" "tar -xzf + sync (floor):$t_tar" \
	"dpkg --force-all -i:$t_dpkg"
awk -v s="$t_swim" -v t="$t_tar" -v d="$t_dpkg" 'BEGIN {
	printf "\nswim / floor: %.2fx (goal <= 1.5x)\n", s / t
	printf "dpkg / swim: %.2fx (goal >= 3x)\n", d / s }'
