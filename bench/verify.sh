#!/bin/bash
# bench/verify: `swim vib verify` of every file of N generated packages
# (default 1,000 packages, 100,000 files, about 1 GiB; installed by swim
# first), page cache warm, against sha256sum and openssl dgst -sha256
# over the same files in the same run, in rounds (median ratio shown).
# Goal: at least 4x faster than sha256sum.
# Usage: verify [N] [FILES] [KIB]   (work files under $TMPDIR, removed)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/packages.sh
. "$here/lib/packages.sh"
bench_setup verify "$@"

gen_packages "$n" "$files" "$kib"
r_root=$work/root
swim_root "$r_root"
args=()
for v in "$work"/vibs/*.vib; do
	args+=(-v "$v")
done
"$bin/swim" --root "$r_root" vib install "${args[@]}" >/dev/null 2>&1
rm -rf "$work/trees" "$work/vibs"
(cd "$r_root" && find opt -type f -print0 >"$work/list")
nfiles=$(tr -cd '\0' <"$work/list" | wc -c)
bytes=$(du -sb "$r_root/opt" | cut -f1)
echo "$nfiles files, $((bytes / 1048576)) MiB, installed by swim; page cache warm"
cat "$r_root/var/lib/swim/swim.db" >/dev/null
(cd "$r_root" && xargs -0 cat <"$work/list" >/dev/null)

# Rounds of swim, sha256sum and openssl in turn: each ratio is taken
# within its round and the median of those is reported, so that a slow
# minute of the shared machine falls on all three.
rounds=${SWIM_BENCH_ROUNDS:-5}
ts=() th=() to=()
for ((r = 0; r < rounds; r++)); do
	ts+=("$(cd / && timed "$bin/swim" --root "$r_root" vib verify)")
	th+=("$(cd "$r_root" && timed sh -c 'xargs -0 sha256sum <"$0" >/dev/null' "$work/list")")
	to+=("$(cd "$r_root" && timed sh -c 'xargs -0 openssl dgst -sha256 <"$0" >/dev/null' "$work/list")")
done

echo "median times of $rounds rounds:"
results $((bytes / 1048576)) "$nfiles" "swim vib verify:$(median "${ts[@]}")" \
	"sha256sum:$(median "${th[@]}")" "openssl dgst -sha256:$(median "${to[@]}")"
echo
echo "sha256sum / swim: $(ratios "${th[*]}" "${ts[*]}") (goal >= 4x)"
echo "openssl / swim: $(ratios "${to[*]}" "${ts[*]}")"
