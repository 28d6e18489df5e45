#!/usr/bin/env python3
"""Crash consistency of pending images and their activation, with real
SIGKILLs (docs/images.md).

1. Activation sweep: `swim host boot` of a pending image that upgrades
   one package, removes one and adds one, killed at every pass through
   every fault point (activate, plan, journal, mkdir, stage, applying,
   swap, sync, commit, rotate, committed, cleanup, end, gc), and killed
   again at every step of the recovery that follows a kill mid-swap and
   just after the commit.
2. Reboot-required sweep: building the pending image (the first change,
   one stacked on it, and one that drops a package only the pending
   image had) killed at every fault point (plan, store, sync, commit,
   committed, gc).
3. Random kills: activations of a larger image killed after a random
   delay, alternating with rollbacks so that an image is always pending.

After every kill the next swim command (vib verify, which recovers first)
must find the old image or the new one, whole: the slots (current,
pending, previous) exactly one of the two states, verify clean, every
file under the root exactly as in a clean run of that state, the payload
store holding exactly the payloads of the three slots, no journal and no
history entry left running.

Usage: images_crash.py [RANDOM_RUNS]   (env: SWIM_BIN, SWIM_PACK_BIN)
"""
import os
import random
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import txn_crash as tc  # noqa: E402  (packages, manifests, runs)

S = tc.S
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 60
rng = random.Random(int(os.environ.get("SWIM_CRASH_SEED", "1")))
fail = tc.fail
run = tc.run


def slots(root):
    """(current, pending, previous): each a sorted tuple of "name
    version", or None for an empty slot."""
    out = {}
    for (slot,) in tc.query(root, "SELECT slot FROM images"):
        out[slot] = tuple(sorted("%s %s" % row for row in tc.query(
            root, "SELECT p.name, p.version FROM image_packages i JOIN"
                  " packages p ON p.pkg = i.pkg WHERE i.slot = '%s'" % slot)))
    return (out.get("current"), out.get("pending"), out.get("previous"))


def check(root, allowed, manifests, what):
    """Recovers, then checks everything; the files are the current
    image's."""
    return tc.check(root, allowed, manifests, what, state_of=slots,
                    files_of=lambda state: state[0])


def snapshot(src, label):
    dst = os.path.join(tc.T, "snap-" + label)
    subprocess.run(["cp", "-a", src, dst], check=True)
    return dst


def small_sweeps():
    a1, a2 = tc.package_pair("small", 6, 300)
    k1 = tc.build("k", "1.0-1", [("opt/k/f%d" % i, tc.blob(("k", i), 200),
                                  0o644) for i in range(3)])
    n1 = tc.build("n", "1.0-1", [("opt/n/sub/f%d" % i,
                                  tc.blob(("n", i), 200), 0o644)
                                 for i in range(3)])
    x1 = tc.build("x", "1.0-1", [("opt/x/f", tc.blob("x", 200), 0o644)])
    base = os.path.join(tc.T, "base")
    os.makedirs(base)
    run([S, "--root", base, "acceptance", "set", "--level", "community"])
    # A previous image holding x, which the activation then drops (and
    # the store's collection with it).
    run([S, "--root", base, "vib", "install", "-v", x1, "-v", k1])
    run([S, "--root", base, "vib", "install", "--no-live-install", "-v", a1])
    run([S, "--root", base, "vib", "remove", "--no-live-install", "-n", "x"])
    run([S, "--root", base, "host", "boot"])
    manifests = {}
    old = slots(base)
    manifests[old[0]] = tc.manifest(base)
    snap_live = snapshot(base, "live")
    # Reboot-required: the first change, then one stacked on it.
    first = ["vib", "install", "--no-live-install", "-v", a2]
    run([S, "--root", base] + first)
    one = slots(base)
    snap_one = snapshot(base, "pending1")
    stacked = ["vib", "install", "--no-live-install", "-v", n1]
    run([S, "--root", base] + stacked)
    run([S, "--root", base, "vib", "remove", "--no-live-install", "-n", "k"])
    before = slots(base)
    snap_before = snapshot(base, "before")
    run([S, "--root", base, "host", "boot"])
    after = slots(base)
    manifests[after[0]] = tc.manifest(base)
    if after != (before[1], None, before[0]):
        fail("clean activation: slots %s from %s" % (after, before))
    two = (old[0], tuple(sorted(one[1] + ("n 1.0-1",))), old[2])
    # Back down on the pending image: the payloads only it needed go.
    down = ["vib", "install", "--no-live-install", "-v", a1]
    scratch = tc.fresh(snap_one)
    run([S, "--root", scratch] + down)
    three = slots(scratch)
    kills = rkills = 0
    for args, snap, allowed, label in (
            (first, snap_live, (old, one), "first reboot-required change"),
            (stacked, snap_one, (one, two), "stacked reboot-required change"),
            (down, snap_one, (one, three), "reboot-required downgrade"),
            (["host", "boot"], snap_before, (before, after), "activation")):
        k, rk = tc.sweep_one(
            snap, args, label,
            lambda root, what, allowed=allowed: check(root, allowed,
                                                      manifests, what),
            ("swap", "committed") if args[0] == "host" else ("committed",))
        kills += k
        rkills += rk
    return kills, rkills


def random_kills(runs):
    a1, a2 = tc.package_pair("big", 300, 6000)
    ref = os.path.join(tc.T, "ref-big")
    os.makedirs(ref)
    run([S, "--root", ref, "acceptance", "set", "--level", "community"])
    manifests = {}
    run([S, "--root", ref, "vib", "install", "-v", a1])
    manifests[slots(ref)[0]] = tc.manifest(ref)
    run([S, "--root", ref, "vib", "install", "--no-live-install", "-v", a2])
    root = tc.fresh(snapshot(ref, "big-pending"))
    t0 = time.monotonic()
    run([S, "--root", ref, "host", "boot"])
    took = time.monotonic() - t0
    manifests[slots(ref)[0]] = tc.manifest(ref)
    outcome = {"before": 0, "after": 0, "finished": 0}
    for i in range(runs):
        state = slots(root)
        if state[1] is None:
            run([S, "--root", root, "host", "rollback"])
            state = slots(root)
        after = (state[1], None, state[0])
        delay = rng.uniform(0, took)
        if tc.kill_after(root, ["host", "boot"], delay):
            outcome["finished"] += 1
        new = check(root, (state, after), manifests,
                    "random activation %d (after %.3f s)" % (i, delay))
        outcome["after" if new == after else "before"] += 1
    return outcome


def main():
    try:
        t0 = time.monotonic()
        kills, rkills = small_sweeps()
        t1 = time.monotonic()
        outcome = random_kills(RUNS)
        t2 = time.monotonic()
        print("sweep: %d kills at every fault point of three "
              "reboot-required changes and an activation, %d during "
              "recovery, %.1f s" %
              (kills, rkills, t1 - t0))
        print("random: %d activations killed (%d came after the end); found "
              "before %d, after %d times; %.1f s" %
              (RUNS, outcome["finished"], outcome["before"],
               outcome["after"], t2 - t1))
    finally:
        shutil.rmtree(tc.T, ignore_errors=True)


if __name__ == "__main__":
    main()
