#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A local HTTP(S) server for download tests: serves the files of one folder on 127.0.0.1 and
misbehaves on request, so no test touches the internet. Every request is logged (one JSON line:
method, path, the Range header seen, the status sent) to --log and kept in Server.requests.

URL paths (NAME is a file in the served folder):
  /files/NAME              the file; honours "Range: bytes=N-" with 206 + Content-Range
  /norange/NAME            the file, always 200 and the whole body: Range is ignored
  /drop/N/K/NAME           the first K requests for this path send the headers of the full answer,
                           N body bytes, then close the connection; later requests behave as /files
  /drop-norange/N/K/NAME   as /drop, but Range is ignored afterwards (the retry gets 200)
  /status/CODE/NAME        answers CODE (404, 500, ...) with a short body
  /redirect/K/REST         302 to /redirect/K-1/REST ..., then to /REST
  /stall/N/NAME            headers of the full answer, N bytes, then silence until shutdown
  /slow/BYTES_PER_S/NAME   the file in 16 kB pieces at about that rate (Range honoured)
  /chunked/NAME            the file with Transfer-Encoding: chunked (no Content-Length: size unknown)
  /endless/NAME            chunked zeros without end (until the client hangs up or shutdown)
  /endless-gzip/NAME       the same, gzip-compressed (Content-Encoding: gzip): a compression bomb
  /badrange/NAME           answers a Range request with 206 and a Content-Range from byte 0
  /status-line/TEXT        "HTTP/1.1 TEXT" as the status line: not valid HTTP
  /big-header/N[/line]     N bytes of response headers, in 1000-byte lines (or one line with /line)

Run as a program it prints "PORT <n>" on stdout once listening and serves until killed:
  weights_server.py FOLDER [--log FILE] [--tls CERT KEY] [--exit-with-stdin]
--exit-with-stdin ends the server when its stdin closes, i.e. when the test process that holds
the pipe ends, even by a crash.
"""
import http.server
import json
import os
import re
import socketserver
import ssl
import sys
import threading
import time
import zlib


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: the JSON log is the record
        pass

    def record(self, status):
        entry = {"method": self.command, "path": self.path, "range": self.headers.get("Range"), "status": status}
        srv = self.server.owner
        with srv.lock:
            srv.requests.append(entry)
            if srv.log_path:
                with open(srv.log_path, "a") as f:
                    f.write(json.dumps(entry) + "\n")

    def file_bytes(self, name):
        path = os.path.join(self.server.owner.folder, os.path.basename(name))
        with open(path, "rb") as f:
            return f.read()

    def send_plain(self, code, text):
        body = (text + "\n").encode()
        self.record(code)
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_file(self, data, honour_range=True, limit=None, stall=False, rate=None):
        start = 0
        m = re.match(r"bytes=(\d+)-$", self.headers.get("Range") or "")
        if m and honour_range:
            start = int(m.group(1))
            if start >= len(data):
                self.record(416)
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % len(data))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            code = 206
        else:
            code = 200
        body = data[start:]
        self.record(code)
        self.send_response(code)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes" if honour_range else "none")
        if code == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
        self.end_headers()
        if limit is not None:
            self.wfile.write(body[:limit])
            self.wfile.flush()
            if stall:
                self.server.owner.stop.wait()
            self.close_connection = True
            return
        if rate:
            piece = 16384
            for i in range(0, len(body), piece):
                if self.server.owner.stop.is_set():
                    break
                self.wfile.write(body[i:i + piece])
                self.wfile.flush()
                time.sleep(piece / rate)
            return
        self.wfile.write(body)

    def do_GET(self):
        owner = self.server.owner
        # absolute-form targets ("GET http://host/files/x") are what a client sends to a proxy
        path = re.sub(r"^[a-z]+://[^/]*", "", self.path)
        parts = path.split("?")[0].lstrip("/").split("/")
        try:
            kind = parts[0]
            if kind == "files":
                return self.send_file(self.file_bytes(parts[1]))
            if kind == "norange":
                return self.send_file(self.file_bytes(parts[1]), honour_range=False)
            if kind in ("drop", "drop-norange"):
                n, k = int(parts[1]), int(parts[2])
                with owner.lock:
                    seen = owner.counts.get(self.path, 0)
                    owner.counts[self.path] = seen + 1
                data = self.file_bytes(parts[3])
                if seen < k:
                    # The full answer's headers (a plain 200 or the 206 of a resume), then a cut.
                    return self.send_file(data, honour_range=kind == "drop", limit=n)
                return self.send_file(data, honour_range=kind == "drop")
            if kind == "status":
                return self.send_plain(int(parts[1]), "status %s" % parts[1])
            if kind == "redirect":
                k = int(parts[1])
                rest = "/".join(parts[2:])
                target = "/redirect/%d/%s" % (k - 1, rest) if k > 1 else "/" + rest
                self.record(302)
                self.send_response(302)
                self.send_header("Location", target)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if kind == "stall":
                return self.send_file(self.file_bytes(parts[2]), limit=int(parts[1]), stall=True)
            if kind == "chunked":
                data = self.file_bytes(parts[1])
                self.record(200)
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for i in range(0, len(data), 65536):
                    piece = data[i:i + 65536]
                    self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
                return
            if kind in ("endless", "endless-gzip"):
                return self.send_endless(gzip=kind == "endless-gzip")
            if kind == "badrange":
                data = self.file_bytes(parts[1])
                if not self.headers.get("Range"):
                    return self.send_file(data)
                self.record(206)
                self.send_response(206)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Content-Range", "bytes 0-%d/%d" % (len(data) - 1, len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            if kind == "status-line":
                self.record(0)
                self.wfile.write(("HTTP/1.1 %s\r\nContent-Length: 0\r\n\r\n" % parts[1]).encode())
                self.close_connection = True
                return
            if kind == "big-header":
                n = int(parts[1])
                self.record(200)
                self.send_response(200)
                if len(parts) > 2 and parts[2] == "line":
                    self.send_header("X-Filler", "x" * n)
                else:
                    for i in range(n // 1000):
                        self.send_header("X-Filler-%d" % i, "x" * 980)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if kind == "slow":
                return self.send_file(self.file_bytes(parts[2]), rate=float(parts[1]))
            return self.send_plain(404, "unknown path")
        except FileNotFoundError:
            return self.send_plain(404, "no such file")
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True


    def send_endless(self, gzip):
        self.record(200)
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        if gzip:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        zeros = bytes(65536)
        packer = zlib.compressobj(9, zlib.DEFLATED, 31) if gzip else None  # wbits 31: gzip framing
        sent = 0
        # bounded even if the client never hangs up: 1 GiB of (decoded) body at most
        while sent < (1 << 30) and not self.server.owner.stop.is_set():
            piece = packer.compress(zeros) + packer.flush(zlib.Z_SYNC_FLUSH) if packer else zeros
            sent += len(zeros)
            if piece:
                self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")


class ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # clients hanging up mid-answer (cancel, timeouts, refused certificates) are expected


class Server:
    """Serves folder on 127.0.0.1:<free port> in a background thread (use as a context manager)."""

    def __init__(self, folder, log_path=None, tls=None):
        self.folder, self.log_path = folder, log_path
        self.requests, self.counts = [], {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.httpd = ThreadingServer(("127.0.0.1", 0), Handler)
        self.httpd.owner = self
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.scheme = "https" if tls else "http"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path):
        return "%s://127.0.0.1:%d/%s" % (self.scheme, self.port, path.lstrip("/"))

    def ranges(self, prefix):
        with self.lock:
            return [r["range"] for r in self.requests if r["path"].startswith(prefix)]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def main():
    args = sys.argv[1:]
    folder, log, tls = args[0], None, None
    if "--log" in args:
        log = args[args.index("--log") + 1]
    if "--tls" in args:
        i = args.index("--tls")
        tls = (args[i + 1], args[i + 2])
    if "--exit-with-stdin" in args:
        def watch():
            sys.stdin.read()
            os._exit(0)
        threading.Thread(target=watch, daemon=True).start()
    with Server(folder, log, tls) as srv:
        print("PORT %d" % srv.port, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
