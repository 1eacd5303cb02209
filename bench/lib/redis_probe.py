#!/usr/bin/env python3
"""Downtime probe: every 10 ms, AUTH + PING against Redis with each credential a consumer currently holds.

Usage: redis_probe.py --host H --port P --env-file F [--key REDIS_PASSWORD] [--project NAME --services a,b,c]
                      --stop-file S --ready-file R --out RESULT.json [--interval 0.01]

Credentials tried at each tick (each once, when several sources agree):
  * the value of KEY in the env file, re-read whenever the file changes (size, mtime or inode): what a consumer
    started now would get;
  * with --project/--services: the value each running consumer container was started with, read from the Docker
    API (the unix socket) every 250 ms: what the consumers hold right now. The same poll follows redis to its new
    container address if it is recreated (when --host is a container address, not a published port).
One persistent connection speaking RESP directly (no client library: redis-py's retries with back-off on
connection errors, which include its AuthenticationError, would hide failures and break the 10 ms cadence). AUTH on
an authenticated connection re-checks the password, so every tick is a real password check. An error reply to AUTH
or PING (WRONGPASS, NOAUTH, ...) counts as `rejected`; a refused, reset or timed-out connection (1 s) as
`conn_errors`, and the probe reconnects at the next tick. Runs until the stop file exists, then writes
the counts, the longest run of failing ticks and the first/last failure times (seconds since start) as JSON.
"""

import argparse
import http.client
import json
import os
import socket
import threading
import time
import urllib.parse



class Probe:
    """AUTH + PING over one TCP connection; returns "ok", "rejected" (with the error word) or "conn_errors"."""

    def __init__(self, host, port, follow=None):
        self.addr = (host, port)
        self.follow = follow  # a ConsumerWatcher whose store_ip replaces host when redis is recreated
        self.sock = None
        self.buf = b""

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionResetError("closed by server")
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\r\n")
        return line.decode(errors="replace")

    def check(self, password):
        pw = password.encode()
        req = b"*2\r\n$4\r\nAUTH\r\n$%d\r\n%s\r\n*1\r\n$4\r\nPING\r\n" % (len(pw), pw)
        try:
            if self.sock is None:
                if self.follow and self.follow.store_ip:
                    self.addr = (self.follow.store_ip, self.addr[1])
                self.sock = socket.create_connection(self.addr, timeout=1)
                self.buf = b""
            self.sock.sendall(req)
            replies = [self._line(), self._line()]
        except OSError as e:
            if self.sock is not None:
                self.sock.close()
            self.sock = None
            return "conn_errors", type(e).__name__
        for reply in replies:
            if reply.startswith("-"):
                return "rejected", reply[1:].split(" ")[0]
        return "ok", None


def read_env_value(path, key):
    """KEY's last value in a dotenv file (simple KEY=VALUE lines; quotes stripped; `export` allowed)."""
    value = None
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith("export "):
                    line = line[7:].lstrip()
                k, sep, v = line.partition("=")
                if sep and k.strip() == key:
                    v = v.strip()
                    if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
                        v = v[1:-1]
                    value = v
    except OSError:
        pass
    return value


class DockerSocket(http.client.HTTPConnection):
    def __init__(self, path="/var/run/docker.sock"):
        super().__init__("localhost", timeout=5)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(5)
        self.sock.connect(self.path)


def docker_get(url):
    conn = DockerSocket()
    try:
        conn.request("GET", url)
        resp = conn.getresponse()
        return json.loads(resp.read() or b"null")
    finally:
        conn.close()


class ConsumerWatcher(threading.Thread):
    """Keeps {service: credential} of the running consumer containers up to date."""

    def __init__(self, project, services, key, store_service):
        super().__init__(daemon=True)
        self.project, self.services, self.key, self.store_service = project, services, key, store_service
        self.held = {}
        self.store_ip = None
        self.stop = threading.Event()

    def poll(self):
        filters = json.dumps({"label": [f"com.docker.compose.project={self.project}"], "status": ["running"]})
        held = {}
        for c in docker_get("/containers/json?filters=" + urllib.parse.quote(filters)) or []:
            service = c.get("Labels", {}).get("com.docker.compose.service")
            if service == self.store_service:
                ips = [n.get("IPAddress") for n in (c.get("NetworkSettings") or {}).get("Networks", {}).values()]
                self.store_ip = next((ip for ip in ips if ip), self.store_ip)
            if service not in self.services:
                continue
            info = docker_get(f"/containers/{c['Id']}/json") or {}
            for item in info.get("Config", {}).get("Env") or []:
                k, _, v = item.partition("=")
                if k == self.key:
                    held[f"{service}/{c['Id'][:12]}"] = v
        self.held = held

    def run(self):
        while not self.stop.is_set():
            try:
                self.poll()
            except (OSError, ValueError, http.client.HTTPException):
                pass
            self.stop.wait(0.25)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, default=6379)
    ap.add_argument("--env-file", required=True)
    ap.add_argument("--key", default="REDIS_PASSWORD")
    ap.add_argument("--project")
    ap.add_argument("--services", default="")
    ap.add_argument("--store-service", default="redis", help="the compose service of redis (to follow its address)")
    ap.add_argument("--interval", type=float, default=0.01)
    ap.add_argument("--stop-file", required=True)
    ap.add_argument("--ready-file", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    watcher = None
    if args.project:
        watcher = ConsumerWatcher(args.project, set(filter(None, args.services.split(","))), args.key,
                                  args.store_service)
        watcher.poll()
        watcher.start()
    # Follow redis to its new address when it is recreated, unless it is reached through a published port.
    follow = watcher if watcher and args.host not in ("127.0.0.1", "localhost", "::1") else None
    client = Probe(args.host, args.port, follow)
    stamp, file_value = None, None
    counts = {"ticks": 0, "checks": 0, "ok": 0, "rejected": 0, "conn_errors": 0, "env_file_changes": 0}
    by_source = {}
    streak, longest = 0, 0
    first_fail = last_fail = None
    errors = {}
    start = time.monotonic()
    ready = False
    next_tick = start
    while not os.path.exists(args.stop_file):
        try:
            st = os.stat(args.env_file)
            new_stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
        except OSError:
            new_stamp = None
        if new_stamp != stamp:
            stamp, file_value = new_stamp, read_env_value(args.env_file, args.key)
            counts["env_file_changes"] += 1
        creds = {}
        if file_value:
            creds.setdefault(file_value, []).append("env-file")
        if watcher:
            for who, value in list(watcher.held.items()):
                creds.setdefault(value, []).append("consumer")
        tick_failed = False
        for value, sources in creds.items():
            counts["checks"] += 1
            outcome, why = client.check(value)
            if why:
                errors[why] = errors.get(why, 0) + 1
            counts[outcome] += 1
            for s in set(sources):
                by_source.setdefault(s, {"ok": 0, "rejected": 0, "conn_errors": 0})[outcome] += 1
            if outcome != "ok":
                tick_failed = True
        counts["ticks"] += 1
        now = time.monotonic() - start
        if tick_failed:
            streak += 1
            longest = max(longest, streak)
            first_fail = now if first_fail is None else first_fail
            last_fail = now
        else:
            streak = 0
            if not ready and creds:
                open(args.ready_file, "w").close()
                ready = True
        next_tick += args.interval
        delay = next_tick - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        else:
            next_tick = time.monotonic()
    if watcher:
        watcher.stop.set()
    result = dict(counts, by_source=by_source, errors=errors, longest_failing_ticks=longest,
                  first_failure_s=first_fail, last_failure_s=last_fail, seconds=time.monotonic() - start,
                  interval=args.interval)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
