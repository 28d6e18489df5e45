#!/usr/bin/env python3
"""Crash consistency of swim transactions, with real SIGKILLs.

1. A deterministic sweep: every fault-injection point of the apply
   sequence (SWIM_TEST_FAULT=POINT#N:kill, docs/transaction.md), every
   pass through it, for install, upgrade, downgrade and remove of a small
   package; and kills during the recovery that follows (undo and cleanup
   steps).
2. Random kills: at least 200 install/update/remove transactions of a
   larger package, each killed after a random delay.

After every kill the next swim command (vib verify, which recovers first)
must find the host exactly before or exactly after the transaction: verify
clean, the installed packages one of the two states, every file under the
root (outside var/lib/swim) exactly as in a clean run of that state, no
staged or backup file left, the payloads of the installed packages in the
payload store and no history entry left running.

Usage: txn_crash.py [RANDOM_RUNS]   (env: SWIM_BIN, SWIM_PACK_BIN)
"""
import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

S = os.environ["SWIM_BIN"]
P = os.environ["SWIM_PACK_BIN"]
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
T = tempfile.mkdtemp(prefix="swim-crash-")
rng = random.Random(int(os.environ.get("SWIM_CRASH_SEED", "1")))


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def run(args, env=None, check=True):
    e = dict(os.environ)
    e.pop("SWIM_TEST_FAULT", None)
    e.pop("SWIM_TEST_FAULT_TRACE", None)
    if env:
        e.update(env)
    r = subprocess.run(args, env=e, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        fail("%s exited %d: %s%s" % (" ".join(args), r.returncode, r.stdout,
                                    r.stderr))
    return r


# ---- packages --------------------------------------------------------

def blob(seed, size):
    """Compressible but distinct content."""
    h = hashlib.sha256(str(seed).encode()).hexdigest()
    line = (h + " ") * 4 + "\n"
    return (line * (size // len(line) + 1))[:size].encode()


def build(name, version, files, links=(), hardlinks=()):
    tree = os.path.join(T, "tree-%s-%s" % (name, version))
    os.makedirs(tree)
    for path, data, mode in files:
        full = os.path.join(tree, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
        os.chmod(full, mode)
    for path, target in links:
        full = os.path.join(tree, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        os.symlink(target, full)
    for path, target in hardlinks:
        os.link(os.path.join(tree, target), os.path.join(tree, path))
    desc = os.path.join(T, "%s-%s.xml" % (name, version))
    with open(desc, "w") as f:
        f.write("""<vib version="5.0"><type>bootbank</type><name>%s</name>
<version>%s</version><vendor>crash</vendor><summary>crash test</summary>
<acceptance-level>community</acceptance-level>
<live-install-allowed>true</live-install-allowed>
<live-remove-allowed>true</live-remove-allowed></vib>
""" % (name, version))
    out = os.path.join(T, "%s-%s.vib" % (name, version))
    run([P, "vib", "build", "--descriptor", desc, "--payload",
         "p=" + tree, "-o", out])
    return out


def package_pair(name, n, size):
    """Version 1, and version 2 changing, dropping and adding files."""
    v1 = [("opt/%s/d%d/f%03d" % (name, i % 7, i), blob((name, 1, i), size),
           0o644 if i % 3 else 0o755) for i in range(n)]
    v2 = []
    for i, (path, data, mode) in enumerate(v1):
        if i % 5 == 0:
            continue                      # dropped
        if i % 2 == 0:
            data = blob((name, 2, i), size + 100)   # changed
        v2.append((path, data, mode))
    v2 += [("opt/%s/new/g%03d" % (name, i), blob((name, 3, i), size), 0o644)
           for i in range(n // 4)]
    a1 = build(name, "1.0-1", v1,
               links=[("opt/%s/link" % name, "d1"),
                      ("usr/bin/%s" % name, "../../opt/%s/d2/f002" % name)],
               hardlinks=[("opt/%s/hard" % name, "opt/%s/d1/f001" % name)])
    a2 = build(name, "2.0-1", v2,
               links=[("opt/%s/link" % name, "d3")],
               hardlinks=[("opt/%s/hard" % name, "opt/%s/d1/f001" % name)])
    return a1, a2


# ---- observing a root ------------------------------------------------

def manifest(root):
    out = {}
    for dirpath, dirs, files in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        if rel == "var/lib/swim" or rel.startswith("var/lib/swim/"):
            dirs[:] = []
            continue
        for name in dirs + files:
            full = os.path.join(dirpath, name)
            path = os.path.normpath(os.path.join(rel, name))
            if path == "var/lib/swim":
                continue
            st = os.lstat(full)
            entry = [oct(st.st_mode), st.st_uid, st.st_gid]
            if os.path.islink(full):
                entry.append(os.readlink(full))
            elif os.path.isfile(full):
                with open(full, "rb") as f:
                    entry += [st.st_size, int(st.st_mtime),
                              hashlib.sha256(f.read()).hexdigest()]
            out[path] = entry
    return out


def query(root, sql):
    """Reads the host database directly (after swim recovered it)."""
    db = sqlite3.connect("file:%s?mode=ro" %
                         os.path.join(root, "var/lib/swim/swim.db"), uri=True)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def installed(root):
    return tuple(sorted("%s %s" % row for row in query(
        root, "SELECT p.name, p.version FROM image_packages i"
              " JOIN packages p ON p.pkg = i.pkg WHERE i.slot = 'current'")))


def store_ok(root):
    for (sha,) in query(root, "SELECT DISTINCT pp.sha256 FROM"
                              " package_payloads pp JOIN image_packages i"
                              " ON i.pkg = pp.pkg WHERE i.slot = 'current'"):
        if not os.path.isfile(os.path.join(root, "var/lib/swim/store",
                                           sha[:2], sha)):
            fail("payload %s is missing from the store" % sha)
    for dirpath, _, files in os.walk(os.path.join(root, "var/lib/swim")):
        for name in files:
            if name.startswith(".tmp-"):
                fail("store temporary left: %s" % os.path.join(dirpath, name))


def same_files(got, want, what):
    if got != want:
        diff = sorted(k for k in set(got) | set(want)
                      if got.get(k) != want.get(k))
        fail("%s: files differ from a clean run: %s" % (what, diff[:10]))


def check(root, allowed, manifests, what):
    """Recovers (verify writes when it must), then checks everything."""
    r = run([S, "--root", root, "vib", "verify"], check=False)
    if r.returncode != 0:
        fail("%s: verify after the kill: %s%s" % (what, r.stdout, r.stderr))
    state = installed(root)
    if state not in allowed:
        fail("%s: installed %s, expected one of %s" % (what, state, allowed))
    same_files(manifest(root), manifests[state], "%s (%s)" % (what, state))
    store_ok(root)
    if query(root, "SELECT id FROM history WHERE result = 'running'"):
        fail("%s: a history entry is still running" % what)
    if query(root, "SELECT txn FROM journal"):
        fail("%s: a journal is left" % what)
    return state


# ---- the two kinds of runs ---------------------------------------------

def reference(pair, name):
    """Clean runs: each state's manifest, a snapshot root of each state,
    the transactions between them and how long each takes."""
    a1, a2 = pair
    base = os.path.join(T, "ref-" + name)
    os.makedirs(base)
    run([S, "--root", base, "acceptance", "set", "--level", "community"])
    snaps, manifests, times = {}, {}, {}

    def snap(label):
        dst = os.path.join(T, "snap-%s-%s" % (name, label))
        subprocess.run(["cp", "-a", base, dst], check=True)
        snaps[label] = dst
        manifests[installed(base)] = manifest(base)

    # In this order, each from where the one before left the root.
    tx = {
        "install": (["vib", "install", "-v", a1], "empty", "v1"),
        "upgrade": (["vib", "install", "-v", a2], "v1", "v2"),
        "downgrade": (["vib", "install", "-v", a1], "v2", "v1"),
        "remove": (["vib", "remove", "-n", name], "v1", "empty"),
        "install v2": (["vib", "install", "-v", a2], "empty", "v2"),
        "remove v2": (["vib", "remove", "-n", name], "v2", "empty"),
    }
    snap("empty")
    for key, (args, _, label) in tx.items():
        t0 = time.monotonic()
        run([S, "--root", base] + args)
        times[key] = time.monotonic() - t0
        if label in snaps:
            # The same state reached another way has the same files.
            same_files(manifest(base), manifests[installed(base)],
                       "clean %s %s" % (name, key))
        else:
            snap(label)
    states = {label: installed(snaps[label]) for label in snaps}
    return tx, snaps, manifests, times, states


def fresh(snapshot):
    root = os.path.join(T, "root")
    shutil.rmtree(root, ignore_errors=True)
    subprocess.run(["cp", "-a", snapshot, root], check=True)
    return root


def traced(root, args, env=None):
    trace = os.path.join(T, "trace")
    if os.path.exists(trace):
        os.unlink(trace)
    e = {"SWIM_TEST_FAULT_TRACE": trace}
    if env:
        e.update(env)
    r = run([S, "--root", root] + args, env=e, check=False)
    points = open(trace).read().split() if os.path.exists(trace) else []
    return r, points


def counts(points):
    c = {}
    for p in points:
        c[p] = c.get(p, 0) + 1
    return c


def sweep(ref):
    tx, snaps, manifests, _, states = ref
    kills = recovery_kills = 0
    for key, (args, before, after) in tx.items():
        if key in ("install v2", "remove v2"):
            continue
        allowed = (states[before], states[after])
        _, points = traced(fresh(snaps[before]), args)
        if not points:
            fail("%s: no fault points traced" % key)
        for point, n in counts(points).items():
            for k in range(1, n + 1):
                root = fresh(snaps[before])
                r = run([S, "--root", root] + args,
                        env={"SWIM_TEST_FAULT": "%s#%d:kill" % (point, k)},
                        check=False)
                if r.returncode != -9:
                    fail("%s %s#%d: not killed (exit %d: %s)" %
                         (key, point, k, r.returncode, r.stderr))
                kills += 1
                # Kill the recovery too, at each of its steps, for the
                # states that leave work: mid-swap and just committed.
                if point in ("swap", "committed") and k == (n + 1) // 2:
                    crashed = os.path.join(T, "crashed")
                    shutil.rmtree(crashed, ignore_errors=True)
                    subprocess.run(["cp", "-a", root, crashed], check=True)
                    _, rpoints = traced(fresh(crashed), ["vib", "verify"])
                    for rp, rn in counts(rpoints).items():
                        if rp not in ("undo", "cleanup", "end"):
                            continue
                        for m in range(1, rn + 1):
                            root = fresh(crashed)
                            rr = run([S, "--root", root, "vib", "verify"],
                                     env={"SWIM_TEST_FAULT":
                                          "%s#%d:kill" % (rp, m)},
                                     check=False)
                            if rr.returncode != -9:
                                fail("recovery %s#%d: not killed" % (rp, m))
                            recovery_kills += 1
                            check(root, allowed, manifests,
                                  "%s %s#%d, recovery %s#%d" %
                                  (key, point, k, rp, m))
                    root = fresh(crashed)
                check(root, allowed, manifests, "%s %s#%d" % (key, point, k))
    return kills, recovery_kills


def random_kills(ref, runs):
    tx, snaps, manifests, times, states = ref
    by_state = {}
    for key, (args, before, after) in tx.items():
        by_state.setdefault(states[before], []).append((key, args, after))
    root = fresh(snaps["empty"])
    state = states["empty"]
    outcome = {"before": 0, "after": 0, "finished": 0}
    for i in range(runs):
        key, args, after = rng.choice(by_state[state])
        target = states[after]
        delay = rng.uniform(0, times[key])
        p = subprocess.Popen([S, "--root", root] + args,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.kill()
        if p.wait() == 0:
            outcome["finished"] += 1
        new = check(root, (state, target), manifests,
                    "random run %d (%s after %.3f s)" % (i, key, delay))
        outcome["after" if new == target and new != state else "before"] += 1
        state = new
    return outcome


def main():
    try:
        t0 = time.monotonic()
        small = reference(package_pair("small", 6, 300), "small")
        kills, rkills = sweep(small)
        t1 = time.monotonic()
        big = reference(package_pair("big", 300, 6000), "big")
        outcome = random_kills(big, RUNS)
        t2 = time.monotonic()
        print("sweep: %d kills at every fault point of 4 transactions and "
              "%d during recovery, %.1f s" % (kills, rkills, t1 - t0))
        print("random: %d kills (%d came after the end); found before %d, "
              "after %d times; %.1f s" % (RUNS, outcome["finished"],
                                          outcome["before"], outcome["after"],
                                          t2 - t1))
    finally:
        shutil.rmtree(T, ignore_errors=True)


if __name__ == "__main__":
    main()
