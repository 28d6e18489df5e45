# Sourced by bench/install.sh and bench/verify.sh: generates N packages of
# F files each (about K KiB per file on average: text with some random
# files, so payloads compress like real software) under $work, as
#   $work/trees/pNNNN/...        the files (opt/bench/pNNNN/dDD/fFFF)
#   $work/vibs/pNNNN.vib         built by swim-pack
# and, when asked (gen_floor_inputs), the same payloads as
#   $work/tgz/pNNNN.tgz          the .vib's payload member, for tar -x
#   $work/debs/pNNNN.deb         dpkg-deb --build of the same tree (gzip)
# bench_setup NAME [N] [FILES] [KIB] sets bin (the build directory holding
# swim and swim-pack: BUILD, or $SWIM_BENCH_BIN), n, files, kib and a
# work directory under $TMPDIR that is removed on exit.

bench_setup() {
	bin=${SWIM_BENCH_BIN:-$(cd "$here/.." && pwd)}
	n=${2:-1000}
	files=${3:-100}
	kib=${4:-10}
	work=$(mktemp -d "${TMPDIR:-/var/tmp}/swim-bench-$1.XXXXXX")
	trap 'rm -rf "$work"' EXIT
}

gen_packages() {
	local n=$1 files=$2 kib=$3
	mkdir -p "$work/trees" "$work/vibs"
	python3 - "$work/trees" "$n" "$files" "$kib" <<'EOF'
import os, random, sys
top, n, files, kib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(42)
words = ("the package payload host image profile depot signature level "
         "certified partner community vendor install remove update version "
         "release checksum driver module kernel boot bank locker file of and "
         "to in is with for on a configuration").split()
corpus = " ".join(rng.choice(words) + ("\n" if rng.random() < 0.08 else "")
                  for _ in range(400000)).encode()
avg = kib * 1024
for p in range(n):
    base = os.path.join(top, "p%04d" % p, "opt", "bench", "p%04d" % p)
    for f in range(files):
        d = os.path.join(base, "d%02d" % (f % 10))
        os.makedirs(d, exist_ok=True)
        size = rng.randint(avg // 5, avg * 9 // 5)
        if f % 6 == 5:
            data = os.urandom(size)
        else:
            off = rng.randrange(0, len(corpus) - size)
            data = corpus[off:off + size]
        with open(os.path.join(d, "f%03d" % f), "wb") as fh:
            fh.write(data)
        if f % 7 == 0:
            os.chmod(os.path.join(d, "f%03d" % f), 0o755)
EOF
	for ((p = 0; p < n; p++)); do
		printf 'p%04d\n' "$p"
	done | xargs -P "$(nproc)" -I{} sh -c '
		cat >"$0/vibs/{}.xml" <<XML
<vib version="5.0"><type>bootbank</type><name>{}</name><version>1.0-1</version>
<vendor>bench</vendor><summary>benchmark package</summary>
<acceptance-level>community</acceptance-level>
<live-install-allowed>true</live-install-allowed>
<live-remove-allowed>true</live-remove-allowed></vib>
XML
		"$1/swim-pack" vib build --descriptor "$0/vibs/{}.xml" \
			--payload "p=$0/trees/{}" -o "$0/vibs/{}.vib" >/dev/null &&
		rm "$0/vibs/{}.xml"' "$work" "$bin"
}

gen_floor_inputs() {
	mkdir -p "$work/tgz" "$work/debs"
	ls "$work/vibs" | sed 's/\.vib$//' | xargs -P "$(nproc)" -I{} sh -c '
		ar p "$0/vibs/{}.vib" p >"$0/tgz/{}.tgz" &&
		mkdir -p "$0/trees/{}/DEBIAN" &&
		printf "Package: %s\nVersion: 1.0-1\nArchitecture: all\nMaintainer: bench <bench@example.org>\nDescription: benchmark package\n" \
			"bench-{}" >"$0/trees/{}/DEBIAN/control" &&
		dpkg-deb -Zgzip --root-owner-group --build "$0/trees/{}" \
			"$0/debs/{}.deb" >/dev/null &&
		rm -r "$0/trees/{}/DEBIAN"' "$work"
}

# A fresh root where swim installs community packages.
swim_root() {
	mkdir -p "$1"
	"$bin/swim" --root "$1" acceptance set --level community >/dev/null
}

# Seconds (with decimals) a command takes, its output discarded.
timed() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>"$work/timed.log" || {
		echo "failed: $*" >&2
		tail -5 "$work/timed.log" >&2
		return 1
	}
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# results MIB FILES "NAME:SECONDS"...: the table of a benchmark's steps.
results() {
	local mib=$1 nfiles=$2 row
	shift 2
	printf '\n| step | wall s | MiB/s | files/s |\n|---|---|---|---|\n'
	for row in "$@"; do
		awk -v name="${row%:*}" -v t="${row##*:}" -v mib="$mib" -v f="$nfiles" \
			'BEGIN { printf "| %s | %.2f | %.0f | %.0f |\n", name, t, mib / t, f / t }'
	done
}

# median X...: the middle value (the lower middle of an even count).
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# ratios "A1 A2 ..." "B1 B2 ...": the median of the per-round ratios
# Ai / Bi, with their range: "1.08x (0.98-1.63 over 3 rounds)".
ratios() {
	awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, " "); split(b, y, " ")
		for (i = 1; i <= n; i++) print x[i] / y[i] }' | sort -g |
		awk '{ v[NR] = $1 } END { printf "%.2fx (%.2f-%.2f over %d rounds)",
			v[int((NR + 1) / 2)], v[1], v[NR], NR }'
}
