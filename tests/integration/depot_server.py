#!/usr/bin/env python3
"""A small depot server for the tests: serves DIR on 127.0.0.1 (a free
port, written to PORTFILE) with ETag and Last-Modified validators and
304 answers, and logs "METHOD PATH STATUS" per request to LOG.

Paths under /stall/ send nothing for a minute (a server that hangs);
paths under /truncated/ promise the whole file but send half of any
.zip or .vib and close (a cut connection), /cutvib/ does so for .vib
files only. Everything else is DIR.

Usage: depot_server.py DIR PORTFILE LOG
"""
import email.utils
import http.server
import os
import sys
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def record(self, status):
        with open(self.server.log, "a") as f:
            f.write("%s %s %d\n" % (self.command, self.path, status))

    def fail(self, status):
        self.record(status)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        mode = None
        for prefix in ("/stall/", "/truncated/", "/cutvib/"):
            if path.startswith(prefix):
                mode = prefix.strip("/")
                path = "/" + path[len(prefix):]
        if mode == "stall":
            self.record(0)
            time.sleep(60)
            return
        local = os.path.normpath(os.path.join(self.server.root,
                                              path.lstrip("/")))
        if not local.startswith(self.server.root) or not os.path.isfile(local):
            self.fail(404)
            return
        st = os.stat(local)
        etag = '"%x-%x"' % (st.st_mtime_ns, st.st_size)
        modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if (inm is not None and inm == etag) or \
           (inm is None and ims is not None and ims == modified):
            self.record(304)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            self.end_headers()
            return
        with open(local, "rb") as f:
            body = f.read()
        self.record(200)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.end_headers()
        cut = {"truncated": (".zip", ".vib"), "cutvib": (".vib",)}
        if mode in cut and local.endswith(cut[mode]):
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


def main():
    root, portfile, log = sys.argv[1:4]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.root = os.path.realpath(root)
    server.log = log
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, portfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
