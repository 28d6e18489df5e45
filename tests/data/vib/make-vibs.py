#!/usr/bin/env python3
"""Remakes the crafted .vib files under tests/data/vib/.

Every hostile file breaks exactly one rule of docs/vib.md while being
right in everything else (descriptor first, correct sizes and checksums),
so a test can tell that the rule, and only the rule, refused it.

Usage: tests/data/vib/make-vibs.py   (needs python3 and the openssl CLI)
"""
import gzip
import hashlib
import io
import os
import subprocess
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MTIME = 1700000000


def ar(members):
    """A GNU ar archive as binutils writes it with D (deterministic)."""
    out = bytearray(b"!<arch>\n")
    for name, data in members:
        assert len(name) <= 15
        hdr = b"%-16s%-12d%-6d%-6d%-8s%-10d`\n" % (
            (name + "/").encode(), 0, 0, 0, b"100644", len(data))
        out += hdr + data
        if len(data) % 2:
            out += b"\n"
    return bytes(out)


def info(name, kind=tarfile.REGTYPE, size=0, mode=0o644, link=""):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.size = size
    ti.mode = mode
    ti.mtime = MTIME
    ti.linkname = link
    ti.uname = ti.gname = "root"
    return ti


def tar(entries, fmt=tarfile.USTAR_FORMAT):
    """entries: (TarInfo, data) pairs; names are bytes-safe via
    surrogateescape."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt,
                      encoding="utf-8", errors="surrogateescape") as t:
        for ti, data in entries:
            t.addfile(ti, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def gz(data):
    return gzip.compress(data, compresslevel=6, mtime=0)


def sha(b):
    return hashlib.sha256(b).hexdigest()


def descriptor(payloads, name="hostile", acceptance="community", setid=(),
               version="1.0-1"):
    """payloads: (name, member bytes, gunzipped bytes) or with an explicit
    (size, sha, gunzip sha) override as a 4th item."""
    p = []
    for item in payloads:
        pname, member, plain = item[:3]
        size, s, g = len(member), sha(member), sha(plain)
        if len(item) > 3:
            size, s, g = item[3]
        p.append('    <payload name="%s" type="tgz" size="%d">\n'
                 '      <checksum checksum-type="sha-256" verify-process="gunzip">%s</checksum>\n'
                 '      <checksum checksum-type="sha-256">%s</checksum>\n'
                 '    </payload>\n' % (pname, size, g, s))
    sid = ""
    if setid:
        sid = "  <setid-files>\n%s  </setid-files>\n" % "".join(
            "    <file>%s</file>\n" % f for f in setid)
    return ('<vib version="5.0">\n'
            '  <type>bootbank</type>\n'
            '  <name>%s</name>\n'
            '  <version>%s</version>\n'
            '  <vendor>swimtest</vendor>\n'
            '  <summary>crafted test package</summary>\n'
            '%s'
            '  <acceptance-level>%s</acceptance-level>\n'
            '  <payloads>\n%s  </payloads>\n'
            '</vib>\n' % (name, version, sid, acceptance, "".join(p))).encode()


def one_payload(plain, name="hostile", setid=(), member=None, decl=None):
    """A whole .vib around one payload 'p1' whose tar is `plain`."""
    member = gz(plain) if member is None else member
    item = ("p1", member, plain) + ((decl,) if decl else ())
    d = descriptor([item], name=name, setid=setid)
    return ar([("descriptor.xml", d), ("sig.pkcs7", b""), ("p1", member)])


def write(sub, name, data):
    os.makedirs(os.path.join(HERE, sub), exist_ok=True)
    with open(os.path.join(HERE, sub, name), "wb") as f:
        f.write(data)


def hello_tar():
    return tar([(info("usr/", tarfile.DIRTYPE, mode=0o755), None),
                (info("usr/bin/", tarfile.DIRTYPE, mode=0o755), None),
                (info("usr/bin/hello", size=6, mode=0o755), b"hello\n"),
                (info("usr/bin/hi", tarfile.SYMTYPE, link="hello",
                      mode=0o777), None)])


def signed_then_changed():
    """A descriptor signed, then changed: sig.pkcs7 no longer matches."""
    plain = hello_tar()
    member = gz(plain)
    signed = descriptor([("p1", member, plain)], name="tampered")
    changed = descriptor([("p1", member, plain)], name="tampered",
                         version="9.9-9")
    with tempfile.TemporaryDirectory() as tmp:
        key, crt = os.path.join(tmp, "k.pem"), os.path.join(tmp, "c.pem")
        dfile, sig = os.path.join(tmp, "d.xml"), os.path.join(tmp, "s.der")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec",
                        "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-subj", "/CN=swim test tamper", "-days", "36500",
                        "-keyout", key, "-out", crt],
                       check=True, capture_output=True)
        with open(dfile, "wb") as f:
            f.write(signed)
        subprocess.run(["openssl", "cms", "-sign", "-binary", "-md", "sha256",
                        "-outform", "DER", "-signer", crt, "-inkey", key,
                        "-in", dfile, "-out", sig], check=True)
        with open(sig, "rb") as f:
            s = f.read()
    return ar([("descriptor.xml", changed), ("sig.pkcs7", s), ("p1", member)])


def main():
    plain = hello_tar()
    member = gz(plain)

    # Good packages: fuzz seeds and the positive cases.
    write("good", "hello.vib", one_payload(plain, name="hello"))
    two = tar([(info("opt/", tarfile.DIRTYPE, mode=0o755), None),
               (info("opt/data", size=4), b"data")])
    write("good", "two-payloads.vib", ar([
        ("descriptor.xml", descriptor([("p1", member, plain),
                                       ("p2", gz(two), two)], name="two")),
        ("sig.pkcs7", b""), ("p1", member), ("p2", gz(two))]))
    setuid = tar([(info("usr/bin/su", size=3, mode=0o4755), b"su\n")])
    write("good", "setuid-allowed.vib",
          one_payload(setuid, name="setuid", setid=("usr/bin/su",)))

    h = {}
    h["traversal"] = one_payload(tar([(info("../evil", size=5), b"evil\n")]))
    h["absolute-path"] = one_payload(tar([(info("/etc/evil", size=5),
                                           b"evil\n")]))
    h["symlink-outside"] = one_payload(tar([
        (info("link", tarfile.SYMTYPE, link="../../etc/passwd"), None)]))
    h["symlink-absolute"] = one_payload(tar([
        (info("link", tarfile.SYMTYPE, link="/etc/passwd"), None)]))
    # Each link stays inside on its own; 'b' escapes through 'a'.
    h["symlink-chain"] = one_payload(tar([
        (info("d/", tarfile.DIRTYPE, mode=0o755), None),
        (info("a", tarfile.SYMTYPE, link="."), None),
        (info("d/b", tarfile.SYMTYPE, link="../a/.."), None)]))
    h["hardlink-outside"] = one_payload(tar([
        (info("h", tarfile.LNKTYPE, link="../etc/passwd"), None)]))
    h["through-symlink"] = one_payload(tar([
        (info("etc", tarfile.SYMTYPE, link="usr"), None),
        (info("etc/passwd", size=5), b"evil\n")]))
    h["device"] = one_payload(tar([(info("dev/sda", tarfile.BLKTYPE), None)]))
    h["fifo"] = one_payload(tar([(info("pipe", tarfile.FIFOTYPE), None)]))
    h["setuid"] = one_payload(setuid)
    h["setgid"] = one_payload(tar([(info("usr/bin/sg", size=3,
                                         mode=0o2755), b"sg\n")]))
    # A header claiming 64 GiB with nothing behind it.
    big = info("huge", size=1 << 36).tobuf(tarfile.GNU_FORMAT, "utf-8",
                                           "surrogateescape")
    h["entry-too-large"] = one_payload(big + b"\0" * 1024)
    # The member is one byte longer than the descriptor says.
    h["member-larger"] = one_payload(plain, member=member + b"\0",
                                     decl=(len(member), sha(member),
                                           sha(plain)))
    # 24 MiB of zeros in 1 MiB files: each entry is small, the whole
    # expands far beyond payload_max_ratio.
    zeros = b"\0" * (1 << 20)
    h["gzip-bomb"] = one_payload(tar([(info("z%02d" % i, size=len(zeros)),
                                       zeros) for i in range(24)]))
    whole = one_payload(plain)
    h["truncated"] = whole[:len(whole) - 40]
    h["checksum-mismatch"] = one_payload(plain, decl=(len(member), "0" * 64,
                                                      sha(plain)))
    h["gunzip-mismatch"] = one_payload(plain, decl=(len(member), sha(member),
                                                    "0" * 64))
    h["signature-mismatch"] = signed_then_changed()
    d = descriptor([("p1", member, plain)])
    h["duplicate-member"] = ar([("descriptor.xml", d), ("sig.pkcs7", b""),
                                ("p1", member), ("p1", member)])
    h["duplicate-path"] = one_payload(tar([(info("a", size=1), b"a"),
                                           (info("a", size=1), b"b")]))
    h["missing-descriptor"] = ar([("sig.pkcs7", b""), ("p1", member)])
    h["descriptor-not-first"] = ar([("sig.pkcs7", b""), ("descriptor.xml", d),
                                    ("p1", member)])
    h["control-char"] = one_payload(tar([(info("bad\x1b[2Jname", size=1),
                                          b"x")]))
    h["invalid-utf8"] = one_payload(tar([(info("bad\udcffname", size=1),
                                          b"x")]))
    h["long-path"] = one_payload(tar([(info("d/" * 2100 + "f", size=1),
                                       b"x")], fmt=tarfile.PAX_FORMAT))
    h["not-gzip"] = one_payload(plain, member=plain)
    h["missing-payload"] = ar([("descriptor.xml", d), ("sig.pkcs7", b"")])
    h["unknown-member"] = ar([("descriptor.xml", d), ("sig.pkcs7", b""),
                              ("p1", member), ("extra", b"x")])
    for name, data in h.items():
        write("hostile", name + ".vib", data)


if __name__ == "__main__":
    main()
