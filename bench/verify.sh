#!/bin/bash
# bench/verify: `swim vib verify` of every file of N generated packages
# (default 1,000 packages, 100,000 files, about 1 GiB; installed by swim
# first), page cache warm, against sha256sum and openssl dgst -sha256
# over the same files in the same run. Each step is the best of three.
# Goal: at least 4x faster than sha256sum.
# Usage: verify [N] [FILES] [KIB]   (work files under $TMPDIR, removed)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/packages.sh
. "$here/lib/packages.sh"
bench_setup verify "$@"

gen_packages "$n" "$files" "$kib"
r=$work/root
swim_root "$r"
args=()
for v in "$work"/vibs/*.vib; do
	args+=(-v "$v")
done
"$bin/swim" --root "$r" vib install "${args[@]}" >/dev/null 2>&1
rm -rf "$work/trees" "$work/vibs"
(cd "$r" && find opt -type f -print0 >"$work/list")
nfiles=$(tr -cd '\0' <"$work/list" | wc -c)
bytes=$(du -sb "$r/opt" | cut -f1)
echo "$nfiles files, $((bytes / 1048576)) MiB, installed by swim; page cache warm"
cat "$r/var/lib/swim/swim.db" >/dev/null
(cd "$r" && xargs -0 cat <"$work/list" >/dev/null)

best() {
	local b="" t
	for _ in 1 2 3; do
		t=$(timed "$@")
		b=$(awk -v a="$t" -v b="${b:-$t}" 'BEGIN { print (a < b ? a : b) }')
	done
	echo "$b"
}
t_swim=$(best "$bin/swim" --root "$r" vib verify)
cd "$r"
t_sha=$(best sh -c 'xargs -0 sha256sum <"$0" >/dev/null' "$work/list")
t_ssl=$(best sh -c 'xargs -0 openssl dgst -sha256 <"$0" >/dev/null' "$work/list")
cd /

results $((bytes / 1048576)) "$nfiles" "swim vib verify:$t_swim" "sha256sum:$t_sha" \
	"openssl dgst -sha256:$t_ssl"
awk -v s="$t_swim" -v h="$t_sha" -v o="$t_ssl" 'BEGIN {
	printf "\nsha256sum / swim: %.2fx (goal >= 4x)\n", h / s
	printf "openssl / swim: %.2fx\n", o / s }'
