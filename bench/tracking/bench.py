#!/usr/bin/env python3
"""Reprise vs. a real `mlflow server`: same machine, same run, same load (wrk), ratio table.

Started by bench/tracking/run, which builds Reprise, provides the mlflow3 venv and wrk, and runs
this file with the venv's python. Only the standard library is imported here.

Phases, per backend configuration (SQLite always; PostgreSQL with --with-postgres), for each
server in turn (never both under load at once):
  cold start   N fresh starts: spawn -> first 200 on /health, then on experiments/search;
               tree RSS/PSS once idle. The last instance goes on with the write phase.
  writes       generator ceiling (/health), log-metric at 1/8/32 connections, log-batch of 1,000
               metrics at 1/4 connections, run lifecycles at 1/4 connections; RSS after.
  reads        fresh instance: metric history of 100k points (logged over REST), search-runs over
               10k and 100k runs (inserted straight into each server's own schema); RSS after.
  profile      Reprise only, SQLite: log-metric at 8 connections under JFR; hot spots summarised.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import http.client
import io
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "lua")
API = "/api/2.0/mlflow"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
T0 = 1_700_000_000_000  # fixed base timestamp (ms) of all generated data

SEARCH_FILTER = "metrics.m1 > 0.5 and params.p1 = 'v3'"
SEARCH_ORDER = ["metrics.m2 DESC"]
SEARCH_MAX = 100
N_PARAMS, N_METRICS = 20, 10
HISTORY_POINTS = 100_000
# Each search point is repeated this long (at most SEARCH_WARMUP_MAX times) before it is measured.
# Without it the first point measured (10k runs) also paid for the JIT compiling the search path
# and came out slower than the 100k one (44.5 vs 25.4 ms p50 on 2026-11-23).
SEARCH_WARMUP_SECS = 3.0
SEARCH_WARMUP_MAX = 100


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------- processes and /proc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_tree(root: int) -> list[int]:
    """root and all its descendants, from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        if os.path.exists(f"/proc/{pid}"):
            out.append(pid)
            todo.extend(children.get(pid, []))
    return out


def tree_memory(root: int) -> tuple[float, float, int]:
    """(RSS sum MiB, PSS sum MiB, process count) over the tree. RSS double-counts pages shared by
    forked workers; PSS splits them, so it is the fairer total for multi-process servers."""
    rss = pss = 0
    pids = proc_tree(root)
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            pass
    return rss / 1024, pss / 1024, len(pids)


def tree_cpu_seconds(root: int) -> float:
    total = 0
    for pid in proc_tree(root):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            fields = stat[stat.rfind(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / CLK_TCK


class Quiet:
    """Other work on this machine (colleagues' builds and tests share the cores) distorts every
    number. Before each measurement, wait until the CPU used by processes other than the server
    under test stays below `threshold` % of the machine for a 1s sample, for at most `timeout`
    seconds; then measure anyway and let the report show the foreign CPU during the measurement."""

    threshold = 15.0
    timeout = 30.0
    budget = 600.0  # total seconds of waiting per harness run; then measure without waiting
    waited = 0.0
    misses = 0  # consecutive waits that ended in a timeout: after 3, the load is taken as steady

    @classmethod
    def foreign_pct(cls, server_root: int | None, seconds: float = 1.0) -> float:
        c0 = tree_cpu_seconds(server_root) if server_root else 0.0
        b0, t0 = machine_cpu()
        time.sleep(seconds)
        c1 = tree_cpu_seconds(server_root) if server_root else 0.0
        b1, t1 = machine_cpu()
        total_s = (t1 - t0) / CLK_TCK
        return max(0.0, 100 * ((b1 - b0) / CLK_TCK - (c1 - c0)) / total_s) if total_s else 0.0

    @classmethod
    def wait(cls, server_root: int | None = None, what: str = "") -> float:
        t0 = time.time()
        timeout = cls.timeout if cls.misses < 3 else 0.0
        while True:
            pct = cls.foreign_pct(server_root)
            if (pct <= cls.threshold or time.time() - t0 > timeout
                    or cls.waited + time.time() - t0 > cls.budget):
                break
        cls.misses = 0 if pct <= cls.threshold else cls.misses + 1
        waited = time.time() - t0
        cls.waited += waited
        if waited > 1.5:
            log(f"    (waited {waited:.0f}s for other processes to calm down before {what}; "
                f"now {pct:.0f}% of the machine)")
        return pct


def machine_cpu() -> tuple[int, int]:
    """(busy, total) jiffies from /proc/stat; iowait and idle count as not busy."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    return sum(v[:8]) - idle, sum(v[:8])


# ---------------------------------------------------------------- HTTP


def http_call(port: int, method: str, path: str, body=None, timeout: float = 120.0):
    """One request on a fresh connection; returns (status, bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if data is not None else {}
        conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def api(port: int, method: str, endpoint: str, body=None, timeout: float = 120.0) -> dict:
    status, raw = http_call(port, method, API + endpoint, body, timeout)
    if status != 200:
        raise RuntimeError(f"{method} {endpoint} -> HTTP {status}: {raw[:300]!r}")
    return json.loads(raw) if raw.strip() else {}


class Persistent:
    """A keep-alive connection, for sequential populating requests."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def post(self, endpoint: str, body) -> None:
        self.conn.request("POST", API + endpoint, body=json.dumps(body).encode(),
                          headers={"Content-Type": "application/json"})
        r = self.conn.getresponse()
        raw = r.read()
        if r.status != 200:
            raise RuntimeError(f"POST {endpoint} -> HTTP {r.status}: {raw[:300]!r}")

    def close(self) -> None:
        self.conn.close()


# ---------------------------------------------------------------- servers


@dataclass
class Env:
    repo: str
    venv: str
    java_home: str
    out: str
    pg: "Postgres | None" = None
    pg_pythonpath: str | None = None
    reprise_java_opts: str = ""


class Server:
    """One server process (tree) in its own directory under the run's output folder."""

    def __init__(self, env: Env, kind: str, backend: str, label: str, java_opts: str = ""):
        self.env, self.kind, self.backend = env, kind, backend
        java_opts = " ".join(o for o in (env.reprise_java_opts, java_opts) if o)
        self.dir = os.path.join(env.out, f"{kind}-{backend}-{label}")
        os.makedirs(self.dir)
        self.artifacts = os.path.join(self.dir, "artifacts")
        os.makedirs(self.artifacts)
        self.port = free_port()
        self.java_opts = java_opts
        self.db_name = None
        if backend == "sqlite":
            self.db_path = os.path.join(self.dir, f"{kind}.db")
            self.uri = "sqlite:///" + self.db_path  # sqlite:////abs/path
        else:
            self.db_name = f"bench_{kind}_{label}_{os.getpid()}".replace("-", "_")
            env.pg.create_database(self.db_name)
            self.uri = env.pg.url_for(self.db_name)
        self.proc: subprocess.Popen | None = None
        self.t_health = self.t_api = self.cpu_at_ready = None

    def command(self) -> tuple[list[str], dict]:
        env = dict(os.environ)
        if self.kind == "reprise":
            env["JAVA_HOME"] = self.env.java_home
            if self.java_opts:
                env["REPRISE_JAVA_OPTS"] = self.java_opts
            cmd = [os.path.join(self.env.repo, "reprise"), "server", "--port", str(self.port),
                   "--backend-store-uri", self.uri, "--artifacts-destination", self.artifacts]
        else:
            if self.backend == "postgres" and self.env.pg_pythonpath:
                env["PYTHONPATH"] = self.env.pg_pythonpath
            # mlflow's defaults are kept: 4 uvicorn workers, its job runner and huey consumers.
            cmd = [os.path.join(self.env.venv, "bin", "mlflow"), "server", "--host", "127.0.0.1",
                   "--port", str(self.port), "--backend-store-uri", self.uri,
                   "--artifacts-destination", self.artifacts]
        return cmd, env

    def start(self, timeout: float = 180.0) -> None:
        cmd, env = self.command()
        logf = open(os.path.join(self.dir, "server.log"), "wb")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, env=env, stdout=logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True, cwd=self.dir)
        self.t_health = self._poll(t0, "GET", "/health", None, timeout)
        self.t_api = self._poll(t0, "POST", API + "/experiments/search", {"max_results": 10}, timeout)
        self.cpu_at_ready = self.cpu()  # CPU seconds of the tree so far: robust to other load

    def _poll(self, t0: float, method: str, path: str, body, timeout: float) -> float:
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with {self.proc.returncode} during start; "
                                   f"see {self.dir}/server.log")
            try:
                status, _ = http_call(self.port, method, path, body, timeout=5)
                if status == 200:
                    return time.perf_counter() - t0
            except OSError:
                pass
            if time.perf_counter() - t0 > timeout:
                raise RuntimeError(f"{self.kind} did not answer {path} within {timeout}s")
            time.sleep(0.005)

    def settle(self, timeout: float = 240.0, below_pct: float = 5.0) -> float:
        """Waits until the server's whole process tree has used less than below_pct % of one core
        for 3 consecutive 1s samples: mlflow server starts its job runner and huey consumer
        processes well after /health answers, and nothing should be measured while they boot."""
        t0 = time.time()
        calm = 0
        while calm < 3 and time.time() - t0 < timeout:
            c0 = self.cpu()
            time.sleep(1)
            calm = calm + 1 if 100 * (self.cpu() - c0) < below_pct else 0
        return time.time() - t0

    def memory(self) -> tuple[float, float, int]:
        return tree_memory(self.proc.pid)

    def cpu(self) -> float:
        return tree_cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        pids = proc_tree(self.proc.pid)
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        deadline = time.time() + 10
        for pid in pids:  # children that left the group (none expected): end them by id
            while os.path.exists(f"/proc/{pid}") and time.time() < deadline:
                time.sleep(0.05)
            if os.path.exists(f"/proc/{pid}"):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def stop_and_clean(self, keep: bool = False) -> None:
        self.stop()
        if not keep:
            self.cleanup_data()

    def cleanup_data(self) -> None:
        if self.backend == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                try:
                    os.remove(self.db_path + suffix)
                except FileNotFoundError:
                    pass
        elif self.db_name:
            self.env.pg.drop_database(self.db_name)


# ---------------------------------------------------------------- PostgreSQL


class Postgres:
    """A PostgreSQL server given by URL, or a private one started here (initdb as user postgres)."""

    BIN = "/usr/lib/postgresql/15/bin"

    def __init__(self, url: str | None, out: str):
        self.own_dir = None
        if url:
            self.base = url
        else:
            root = os.path.join(out, "postgres")
            self.own_dir = os.path.join(root, "data")
            sock = os.path.join(root, "sock")
            os.makedirs(sock)
            shutil.chown(root, "postgres")
            shutil.chown(sock, "postgres")
            port = free_port()
            run = ["runuser", "-u", "postgres", "--"]
            subprocess.run(run + [f"{self.BIN}/initdb", "-D", self.own_dir, "-U", "postgres",
                                  "--auth=trust", "-E", "UTF8"], check=True, capture_output=True)
            subprocess.run(run + [f"{self.BIN}/pg_ctl", "-D", self.own_dir, "-l",
                                  os.path.join(self.own_dir, "server.log"), "-w", "start", "-o",
                                  f"-p {port} -k {sock} -c listen_addresses=127.0.0.1"
                                  " -c max_connections=300"], check=True, capture_output=True)
            self.base = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        self.parsed = urllib.parse.urlparse(self.base)
        self.server_version = self.psql(self.base, "SHOW server_version").strip()
        self.settings = self.psql(self.base, "SELECT string_agg(name || '=' || setting, ', ' ORDER BY name) "
                                  "FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', "
                                  "'shared_buffers', 'full_page_writes')").strip()

    def url_for(self, db: str) -> str:
        p = self.parsed
        return urllib.parse.urlunparse((p.scheme, p.netloc, "/" + db, "", "", ""))

    def psql(self, db_url: str, sql: str, stdin: bytes | None = None) -> str:
        r = subprocess.run([f"{self.BIN}/psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                            "-d", db_url, "-c", sql], input=stdin, capture_output=True, check=False)
        if r.returncode != 0:
            raise RuntimeError(f"psql failed: {sql[:200]}: {r.stderr.decode()[:500]}")
        return r.stdout.decode()

    def create_database(self, name: str) -> None:
        self.psql(self.base, f'DROP DATABASE IF EXISTS "{name}"')
        self.psql(self.base, f'CREATE DATABASE "{name}"')

    def drop_database(self, name: str) -> None:
        try:
            self.psql(self.base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except RuntimeError as e:
            log(f"warning: {e}")

    def stop(self, keep: bool = False) -> None:
        if self.own_dir:
            subprocess.run(["runuser", "-u", "postgres", "--", f"{self.BIN}/pg_ctl", "-D",
                            self.own_dir, "-m", "fast", "-w", "stop"], capture_output=True)
            if not keep:
                shutil.rmtree(os.path.dirname(self.own_dir), ignore_errors=True)


# ---------------------------------------------------------------- wrk


@dataclass
class WrkResult:
    requests: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    non2xx: int = 0
    socket_errors: int = 0
    timeouts: int = 0
    lifecycles: int = 0
    sample_error: str | None = None
    server_cpu_pct: float = 0.0  # of one core
    wrk_cpu_pct: float = 0.0  # of one core
    machine_busy_pct: float = 0.0  # of all cores
    foreign_pct: float = 0.0  # machine CPU used by other processes than server and wrk, of all cores
    foreign_before_pct: float = 0.0  # same, in the 1s sample before the measurement
    server_cpu_ms_per_req: float = 0.0
    raw: dict = field(default_factory=dict)

    def errors(self) -> int:
        return self.non2xx + self.socket_errors + self.timeouts


def lua_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if v is None:
        return "nil"
    s = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{s}"'


def run_wrk(server: Server, script: str, cfg: dict, connections: int, seconds: float,
            threads: int | None = None, work_dir: str | None = None) -> WrkResult:
    if threads is None:
        threads = 1 if connections == 1 else 2  # 2 cores: one wrk thread per core
    header = "CFG = {" + ", ".join(f"{k} = {lua_value(v)}" for k, v in cfg.items()) + "}\n"
    with open(os.path.join(LUA, "common.lua")) as f:
        common = f.read()
    with open(os.path.join(LUA, script)) as f:
        body = f.read()
    fd, path = tempfile.mkstemp(suffix=".lua", dir=work_dir or server.dir)
    with os.fdopen(fd, "w") as f:
        f.write(header + common + "\n" + body)
    out_path = path[:-4] + ".out"
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s",
           "--timeout", "60s", "-s", path, f"http://127.0.0.1:{server.port}"]
    before = Quiet.wait(server.proc.pid, f"{script} c={connections}")
    cpu0, busy0, m0 = server.cpu(), *machine_cpu()
    t0 = time.perf_counter()
    with open(out_path, "wb") as out:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    cpu1, busy1, m1 = server.cpu(), *machine_cpu()
    with open(out_path) as f:
        text = f.read()
    m = re.search(r"^BENCHJSON (\{.*\})$", text, re.M)
    if p.returncode != 0 or not m:
        raise RuntimeError(f"wrk failed ({p.returncode}): {' '.join(cmd)}\n{text[-2000:]}")
    d = json.loads(m.group(1))
    sample = re.search(r"^BENCHSAMPLE (.*)$", text, re.M)
    secs = d["duration_us"] / 1e6
    ncpu = os.cpu_count() or 1
    wrk_cpu = usage.ru_utime + usage.ru_stime
    busy_s = (busy1 - busy0) / CLK_TCK
    return WrkResult(
        requests=d["requests"], seconds=secs, rps=d["requests"] / secs if secs else 0.0,
        p50_ms=d["p50_us"] / 1000, p90_ms=d["p90_us"] / 1000, p99_ms=d["p99_us"] / 1000,
        max_ms=d["lat_max_us"] / 1000, non2xx=d["non2xx"],
        socket_errors=d["err_connect"] + d["err_read"] + d["err_write"], timeouts=d["err_timeout"],
        lifecycles=d["lifecycles"], sample_error=sample.group(1)[:300] if sample else None,
        server_cpu_pct=100 * (cpu1 - cpu0) / wall,
        wrk_cpu_pct=100 * wrk_cpu / wall,
        machine_busy_pct=100 * (busy1 - busy0) / max(1, m1 - m0),
        foreign_pct=max(0.0, 100 * (busy_s - (cpu1 - cpu0) - wrk_cpu) / (wall * ncpu)),
        foreign_before_pct=before,
        server_cpu_ms_per_req=1000 * (cpu1 - cpu0) / d["requests"] if d["requests"] else 0.0, raw=d)


# ---------------------------------------------------------------- deterministic data


def mix(i: int, j: int) -> int:
    """splitmix64 of (i, j): the same pseudo-random numbers on every machine and run."""
    x = (i * 0x9E3779B97F4A7C15 + j * 0xBF58476D1CE4E5B9 + 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


def run_uuid(label: str, i: int) -> str:
    return hashlib.md5(f"{label}-{i}".encode()).hexdigest()


def generate(label: str, n: int, experiment_id: int, artifact_location: str, chunk: int = 5000):
    """Yields {table: [row dict, ...]} chunks for n runs: 20 params (p1..p20, values v0..v9),
    10 metrics (m1..m10 in [0,1), one point each, also in latest_metrics), 2 tags."""
    for start in range(0, n, chunk):
        rows = {"runs": [], "params": [], "metrics": [], "latest_metrics": [], "tags": []}
        for i in range(start, min(n, start + chunk)):
            rid = run_uuid(label, i)
            t = T0 + i * 1000
            rows["runs"].append(dict(
                run_uuid=rid, experiment_id=experiment_id, name=f"run-{i}", user_id="bench",
                status="FINISHED", start_time=t, end_time=t + 500, lifecycle_stage="active",
                artifact_uri=f"{artifact_location}/{rid}/artifacts", source_type="UNKNOWN",
                source_name="", entry_point_name="", source_version="", deleted_time=None))
            for j in range(1, N_PARAMS + 1):
                rows["params"].append(dict(run_uuid=rid, key=f"p{j}", value=f"v{mix(i, j) % 10}"))
            for j in range(1, N_METRICS + 1):
                v = (mix(i, 100 + j) >> 11) / float(1 << 53)
                m = dict(run_uuid=rid, key=f"m{j}", value=v, timestamp=t, step=0, is_nan=0)
                rows["metrics"].append(m)
                # Reprise's latest_metrics also holds the run's experiment (schema V6); columns a
                # server's table lacks are left out when inserting
                rows["latest_metrics"].append(dict(m, experiment_id=experiment_id))
            rows["tags"].append(dict(run_uuid=rid, key="mlflow.runName", value=f"run-{i}"))
            rows["tags"].append(dict(run_uuid=rid, key="mlflow.user", value="bench"))
        yield rows


TABLE_ORDER = ["runs", "params", "metrics", "latest_metrics", "tags"]


def populate(server: Server, label: str, n: int, experiment_id: str) -> float:
    """Inserts the runs straight into the server's own database (its schema read from the
    database itself), in the foreign-key order. Returns seconds taken."""
    t0 = time.perf_counter()
    eid = int(experiment_id)
    if server.backend == "sqlite":
        con = sqlite3.connect(server.db_path, timeout=60)
        con.execute("PRAGMA busy_timeout = 60000")
        # this loading connection only: a big page cache (the indexes outgrow SQLite's 2 MB default
        # at 100k runs and inserts crawl) and no fsync per chunk; the servers' settings are untouched
        con.execute("PRAGMA cache_size = -524288")
        con.execute("PRAGMA synchronous = OFF")
        loc = con.execute("SELECT artifact_location FROM experiments WHERE experiment_id = ?",
                          (eid,)).fetchone()[0]
        cols = {t: [r[1] for r in con.execute(f"PRAGMA table_info({t})")] for t in TABLE_ORDER}
        notnull = {t: {r[1] for r in con.execute(f"PRAGMA table_info({t})") if r[3] and r[4] is None
                       and not r[5]} for t in TABLE_ORDER}
        for rows in generate(label, n, eid, loc):
            with con:
                for t in TABLE_ORDER:
                    use = [c for c in cols[t] if c in rows[t][0]]
                    missing = notnull[t] - set(use)
                    if missing:
                        raise RuntimeError(f"{server.kind}: {t} needs columns {missing}")
                    sql = (f"INSERT INTO {t} ({', '.join(chr(34) + c + chr(34) for c in use)}) "
                           f"VALUES ({', '.join('?' for _ in use)})")
                    con.executemany(sql, [tuple(r[c] for c in use) for r in rows[t]])
        con.close()
    else:
        pg = server.env.pg
        loc = pg.psql(server.uri, f"SELECT artifact_location FROM experiments WHERE experiment_id = {eid}").strip()
        cols = {}
        for t in TABLE_ORDER:
            cols[t] = pg.psql(server.uri, "SELECT column_name FROM information_schema.columns WHERE "
                              f"table_schema = current_schema() AND table_name = '{t}' "
                              "ORDER BY ordinal_position").split()
        for rows in generate(label, n, eid, loc, chunk=50_000):
            for t in TABLE_ORDER:
                use = [c for c in cols[t] if c in rows[t][0]]
                buf = io.StringIO()
                for r in rows[t]:
                    buf.write(",".join(pg_csv(r[c]) for c in use) + "\n")
                col_list = ", ".join('"' + c + '"' for c in use)
                pg.psql(server.uri, f"\\copy {t} ({col_list}) FROM STDIN WITH (FORMAT csv)",
                        stdin=buf.getvalue().encode())
        pg.psql(server.uri, "ANALYZE")
    return time.perf_counter() - t0


def pg_csv(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (int, float)):
        return repr(v) if isinstance(v, float) else str(v)
    return '"' + str(v).replace('"', '""') + '"'


# ---------------------------------------------------------------- measurements


@dataclass
class Cell:
    """One measured value, or why there is none."""

    value: float | None = None
    text: str | None = None  # shown instead of the value (e.g. "n/a (unsupported)")
    note: str | None = None


class Results:
    """metric name -> server kind -> Cell, in insertion order, plus per-run details."""

    def __init__(self):
        self.rows: dict[str, dict[str, Cell]] = {}
        self.kinds: dict[str, str] = {}  # metric -> "higher" | "lower" | "info"
        self.units: dict[str, str] = {}
        self.details: list[str] = []
        self.notes: list[str] = []

    def put(self, metric: str, server: str, cell: Cell, better: str, unit: str = "") -> None:
        self.rows.setdefault(metric, {})[server] = cell
        self.kinds[metric] = better
        self.units[metric] = unit


def fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit in ("ms", "s"):
        if v >= 100:
            return f"{v:,.0f} {unit}"
        if v >= 10:
            return f"{v:.1f} {unit}"
        return f"{v:.2f} {unit}"
    if unit == "count":
        return f"{int(v):,}"
    if v >= 1000:
        return f"{v:,.0f}" + (f" {unit}" if unit else "")
    if v >= 10:
        return f"{v:.1f}" + (f" {unit}" if unit else "")
    return f"{v:.2f}" + (f" {unit}" if unit else "")


def cell_text(c: Cell | None, unit: str) -> str:
    if c is None:
        return "—"
    s = c.text if c.text is not None else fmt(c.value, unit)
    return s + (f" ({c.note})" if c.note else "")


def ratio(res: Results, metric: str) -> str:
    cells = res.rows[metric]
    r, m = cells.get("reprise"), cells.get("mlflow")
    kind = res.kinds[metric]
    if kind == "info" or r is None or m is None or r.value is None or m.value is None:
        return "—"
    if r.value == 0 or m.value == 0:
        return "—"
    x = r.value / m.value if kind == "higher" else m.value / r.value
    return f"{x:,.1f}x" if x < 100 else f"{x:,.0f}x"


def table(res: Results) -> str:
    lines = ["| metric | Reprise | MLflow | Reprise advantage |", "|---|---:|---:|---:|"]
    for metric, cells in res.rows.items():
        u = res.units[metric]
        lines.append(f"| {metric} | {cell_text(cells.get('reprise'), u)} | "
                     f"{cell_text(cells.get('mlflow'), u)} | {ratio(res, metric)} |")
    return "\n".join(lines)


class Bench:
    def __init__(self, args, env: Env):
        self.a, self.env = args, env
        self.D = args.duration

    # -- one wrk measurement -> table rows
    def detail(self, res: Results, server: Server, name: str, w: WrkResult, conns: int) -> None:
        res.details.append(
            f"| {name} | {server.kind} | {conns} | {w.requests:,} | {w.rps:,.1f} | {w.p50_ms:.2f} | "
            f"{w.p99_ms:.2f} | {w.max_ms:.1f} | {w.non2xx:,} | {w.socket_errors + w.timeouts:,} | "
            f"{w.server_cpu_pct:.0f}% | {w.server_cpu_ms_per_req:.2f} | {w.wrk_cpu_pct:.0f}% | "
            f"{w.machine_busy_pct:.0f}% | {w.foreign_before_pct:.0f}% / {w.foreign_pct:.0f}% |")
        if w.sample_error:
            res.notes.append(f"{server.kind}, {name}, c={conns}: first error answer: `{w.sample_error[:240]}`")

    @staticmethod
    def c(w: WrkResult, value: float, note: str | None = None) -> Cell:
        """A measured cell, marked † when other processes used the machine while it was taken."""
        if w.foreign_pct > Quiet.threshold:
            note = (note + ", " if note else "") + f"† {w.foreign_pct:.0f}% foreign CPU"
        return Cell(value, note=note)

    def errors_cell(self, w: WrkResult) -> Cell:
        extra = []
        if w.socket_errors:
            extra.append(f"{w.socket_errors} socket")
        if w.timeouts:
            extra.append(f"{w.timeouts} timeouts")
        return Cell(w.non2xx, note=", ".join(extra) or None)

    # -- phases. Both servers run side by side (one idle while the other is measured) and every
    # measurement point is taken on both back to back, alternating which goes first, so that
    # changes in background load over the run hit both alike.
    def order(self, i: int) -> list[str]:
        kinds = list(self.a.servers)
        return kinds if i % 2 == 0 else kinds[::-1]

    def cold_starts(self, res: Results, backend: str) -> dict[str, Server]:
        data = {k: {"health": [], "api": [], "cpu": [], "rss": [], "pss": [], "nproc": 0, "again_health": [],
                    "again_api": [], "again_cpu": []} for k in self.a.servers}
        running: dict[str, Server] = {}
        try:
            self._cold_starts(backend, data, running)
        except BaseException:
            for s in running.values():
                s.stop_and_clean()
            raise
        for kind, d in data.items():
            n = f"median of {len(d['health'])}"
            res.put("cold start → first 200 on /health", kind, Cell(statistics.median(d["health"]), note=n), "lower", "s")
            res.put("cold start → first 200 on experiments/search", kind,
                    Cell(statistics.median(d["api"]), note=n), "lower", "s")
            res.put("cold start: CPU time used by the server until that answer", kind,
                    Cell(statistics.median(d["cpu"]), note=n), "lower", "s")
            res.put("restart on the existing database → first 200 on /health", kind,
                    Cell(statistics.median(d["again_health"]), note=n), "lower", "s")
            res.put("restart on the existing database → first 200 on experiments/search", kind,
                    Cell(statistics.median(d["again_api"]), note=n), "lower", "s")
            res.put("restart on the existing database: CPU time used until that answer", kind,
                    Cell(statistics.median(d["again_cpu"]), note=n), "lower", "s")
            res.put("idle RSS, whole process tree", kind, Cell(statistics.median(d["rss"]),
                    note=f"{d['nproc']} processes"), "lower", "MiB")
            res.put("idle PSS, whole process tree", kind, Cell(statistics.median(d["pss"])), "lower", "MiB")
        return running

    def _cold_starts(self, backend: str, data: dict, running: dict) -> None:
        for i in range(self.a.starts):
            for kind in self.order(i):
                if kind in running:
                    running.pop(kind).stop_and_clean()
                server = Server(self.env, kind, backend, f"start{i}")
                Quiet.wait(None, f"{kind} cold start")
                try:
                    server.start()
                except Exception:
                    server.stop_and_clean()
                    raise
                running[kind] = server
                time.sleep(self.a.idle_wait)
                settled = server.settle()
                r, p, nproc = server.memory()
                d = data[kind]
                d["health"].append(server.t_health)
                d["api"].append(server.t_api)
                d["cpu"].append(server.cpu_at_ready)
                d["rss"].append(r)
                d["pss"].append(p)
                d["nproc"] = nproc
                log(f"  {kind}: start {i + 1}/{self.a.starts}: /health {server.t_health:.2f}s, "
                    f"experiments/search {server.t_api:.2f}s (CPU used by then {server.cpu_at_ready:.2f}s), idle RSS {r:.0f} MiB (PSS {p:.0f}) in "
                    f"{nproc} processes (tree calm {settled:.0f}s after the {self.a.idle_wait:g}s wait)")
                if i < self.a.starts - 1:
                    running.pop(kind).stop_and_clean()
        # then restarts on the database the last start created: no schema to create this time
        for i in range(self.a.starts):
            for kind in self.order(i):
                server = running[kind]
                server.stop()
                Quiet.wait(None, f"{kind} restart")
                server.start()
                d = data[kind]
                d["again_health"].append(server.t_health)
                d["again_api"].append(server.t_api)
                d["again_cpu"].append(server.cpu_at_ready)
                log(f"  {kind}: restart {i + 1}/{self.a.starts} on the existing database: /health "
                    f"{server.t_health:.2f}s, experiments/search {server.t_api:.2f}s (CPU used by then "
                    f"{server.cpu_at_ready:.2f}s)")
        for server in running.values():
            server.settle()

    def latency_secs(self, probe: float) -> float:
        """Duration of a latency point: at least max(duration, 10s), longer for slow answers so that
        there are ~8 samples (at most 90s, 40s with --quick)."""
        base = max(self.D, 10)
        return round(min(max(base, 8 * probe), 40 if self.a.quick else 90))

    def latency_point(self, res: Results, server: Server, name: str, probe: float, cfg: dict,
                      note: str = "") -> WrkResult | None:
        """p50/p99 of one request repeated on one connection. When the probe request alone took
        more than half the longest duration, wrk would see almost nothing finish: the probe is
        then the single sample (n=1)."""
        kind = server.kind
        cap = 40 if self.a.quick else 90
        if probe > cap / 2:
            res.put(f"{name}: p50", kind, Cell(probe * 1000, note=f"n=1: one request took {probe:.0f}s{note}"),
                    "lower", "ms")
            res.put(f"{name}: p99", kind, Cell(probe * 1000, note="n=1"), "lower", "ms")
            res.details.append(f"| {name} | {kind} | 1 | 1 (probe only) | — | {probe * 1000:.0f} | — | — | 0 | 0 "
                               "| — | — | — | — | — |")
            log(f"  {kind}: {name}: one request took {probe:.1f}s; reported as the only sample")
            return None
        w = run_wrk(server, "fixed.lua", cfg, 1, self.latency_secs(probe))
        if w.requests == 0:
            res.put(f"{name}: p50", kind, Cell(probe * 1000, note=f"n=1: probe only, none finished in {w.seconds:.0f}s"),
                    "lower", "ms")
            res.put(f"{name}: p99", kind, Cell(None, text="—"), "lower", "ms")
        else:
            bad = f", {w.errors()} errors" if w.errors() else ""
            res.put(f"{name}: p50", kind, self.c(w, w.p50_ms, f"n={w.requests}{note}{bad}"), "lower", "ms")
            res.put(f"{name}: p99", kind, self.c(w, w.p99_ms), "lower", "ms")
        self.detail(res, server, name, w, 1)
        log(f"  {kind}: {name}: p50 {w.p50_ms:.1f} ms p99 {w.p99_ms:.1f} ms (n={w.requests}{note}), "
            f"foreign {w.foreign_pct:.0f}%")
        return w

    def paired(self, points: list, servers: dict[str, Server]) -> None:
        for i, fn in enumerate(points):
            for kind in self.order(i):
                fn(servers[kind])

    def writes(self, res: Results, servers: dict[str, Server]) -> None:
        D = self.D
        exp = {k: api(s.port, "POST", "/experiments/create", {"name": "bench-writes"})["experiment_id"]
               for k, s in servers.items()}

        def new_run(server: Server, name: str) -> str:
            return api(server.port, "POST", "/runs/create", {"experiment_id": exp[server.kind], "start_time": T0,
                                                             "run_name": name})["run"]["info"]["run_id"]

        def ceiling(server: Server) -> None:
            w = run_wrk(server, "fixed.lua", {"method": "GET", "path": "/health"}, 32, min(D, 10))
            res.put("generator ceiling: GET /health, 32 conn (req/s)", server.kind,
                    self.c(w, w.rps, f"wrk CPU {w.wrk_cpu_pct:.0f}% of a core"), "info", "req/s")
            self.detail(res, server, "GET /health (ceiling)", w, 32)
            log(f"  {server.kind}: /health ceiling {w.rps:,.0f} req/s (wrk CPU {w.wrk_cpu_pct:.0f}%)")

        def log_metric(c: int):
            def point(server: Server) -> None:
                rid = new_run(server, f"log-metric-c{c}")
                w = run_wrk(server, "log_metric.lua", {"run_id": rid, "key_prefix": f"lm_c{c}", "ts0": T0}, c, D)
                m, kind = f"log-metric, {c} conn", server.kind
                res.put(f"{m}: req/s", kind, self.c(w, w.rps), "higher", "req/s")
                res.put(f"{m}: p50", kind, self.c(w, w.p50_ms), "lower", "ms")
                res.put(f"{m}: p99", kind, self.c(w, w.p99_ms), "lower", "ms")
                res.put(f"{m}: non-2xx answers", kind, self.errors_cell(w), "info", "count")
                res.put(f"{m}: server CPU per request", kind, Cell(w.server_cpu_ms_per_req), "lower", "ms")
                self.detail(res, server, "log-metric", w, c)
                log(f"  {kind}: log-metric c={c}: {w.rps:,.0f} req/s p50 {w.p50_ms:.1f} ms p99 {w.p99_ms:.1f} ms, "
                    f"{w.non2xx} non-2xx, server CPU {w.server_cpu_pct:.0f}%, wrk CPU {w.wrk_cpu_pct:.0f}%, "
                    f"foreign {w.foreign_pct:.0f}%")
            return point

        def log_batch(c: int):
            def point(server: Server) -> None:
                rid = new_run(server, f"log-batch-c{c}")
                w = run_wrk(server, "log_batch.lua", {"run_id": rid, "key_prefix": f"lb_c{c}", "ts0": T0,
                                                      "keys": 10, "steps": 100}, c, D)
                m, kind = f"log-batch 1,000 metrics, {c} conn", server.kind
                ok_rows = (w.requests - w.non2xx) * 1000 / w.seconds if w.seconds else 0
                res.put(f"{m}: metrics/s (2xx only)", kind, self.c(w, ok_rows), "higher", "rows/s")
                res.put(f"{m}: req/s", kind, self.c(w, w.rps), "higher", "req/s")
                res.put(f"{m}: p50", kind, self.c(w, w.p50_ms), "lower", "ms")
                res.put(f"{m}: non-2xx answers", kind, self.errors_cell(w), "info", "count")
                res.put(f"{m}: server CPU per request", kind, Cell(w.server_cpu_ms_per_req), "lower", "ms")
                self.detail(res, server, "log-batch x1000", w, c)
                log(f"  {kind}: log-batch c={c}: {w.rps:,.1f} req/s = {ok_rows:,.0f} metrics/s, "
                    f"p50 {w.p50_ms:.1f} ms, {w.non2xx} non-2xx, foreign {w.foreign_pct:.0f}%")
            return point

        def lifecycle(c: int):
            def point(server: Server) -> None:
                w = run_wrk(server, "lifecycle.lua", {"experiment_id": exp[server.kind], "tag": f"c{c}", "ts0": T0},
                            c, max(D, 10), threads=c)
                m, kind = f"run lifecycle (104 requests), {c} conn", server.kind
                # completed lifecycles alone undercount a slow server (a 15s point may end inside
                # its first run), so the rate is 2xx answers / 104 per second, completed ones noted
                res.put(f"{m}: lifecycles/s (2xx answers / 104)", kind,
                        self.c(w, w.raw["ok2xx"] / 104 / w.seconds, f"{w.lifecycles} completed"), "higher", "/s")
                res.put(f"{m}: request p50", kind, self.c(w, w.p50_ms), "lower", "ms")
                res.put(f"{m}: non-2xx answers", kind, self.errors_cell(w), "info", "count")
                res.put(f"{m}: server CPU per lifecycle", kind,
                        Cell(w.server_cpu_ms_per_req * w.requests / w.lifecycles if w.lifecycles else None),
                        "lower", "ms")
                self.detail(res, server, "lifecycle", w, c)
                log(f"  {kind}: lifecycle c={c}: {w.lifecycles} lifecycles in {w.seconds:.1f}s "
                    f"({w.lifecycles / w.seconds:.2f}/s), {w.rps:,.0f} req/s, {w.non2xx} non-2xx, "
                    f"foreign {w.foreign_pct:.0f}%")
            return point

        self.paired([ceiling] + [log_metric(c) for c in (1, 8, 32)] + [log_batch(c) for c in (1, 4)]
                    + [lifecycle(c) for c in (1, 4)], servers)
        for kind, server in servers.items():
            r, p, _ = server.memory()
            res.put("RSS right after the write workloads", kind, Cell(r, note=f"PSS {p:.0f}"), "lower", "MiB")

    def reads(self, res: Results, servers: dict[str, Server]) -> dict:
        seen: dict[str, dict] = {k: {} for k in servers}
        hist_path, exps = {}, {}
        sizes = [10_000] if self.a.quick else [10_000, 100_000]

        for kind, server in servers.items():
            port = server.port
            # one metric of 100k points, logged over REST (100 x log-batch of 1,000)
            rid = api(port, "POST", "/runs/create", {"experiment_id": "0", "start_time": T0,
                                                     "run_name": "history"})["run"]["info"]["run_id"]
            Quiet.wait(server.proc.pid, f"{kind} history logging")
            t0 = time.perf_counter()
            conn = Persistent(port)
            for b in range(HISTORY_POINTS // 1000):
                conn.post("/runs/log-batch", {"run_id": rid, "metrics": [
                    {"key": "loss", "value": 1.0 / (1 + s), "timestamp": T0 + s, "step": s}
                    for s in range(b * 1000, (b + 1) * 1000)]})
            conn.close()
            t_hist = time.perf_counter() - t0
            hist_path[kind] = f"{API}/metrics/get-history?run_id={rid}&metric_key=loss"
            res.put("populate: 100k-point metric via 100 REST log-batch calls (1 client)", kind, Cell(t_hist), "lower", "s")
            log(f"  {kind}: 100k-point history logged over REST in {t_hist:.1f}s")
            for n in sizes:
                label = f"{n // 1000}k"
                exp = api(port, "POST", "/experiments/create", {"name": f"search-{label}"})["experiment_id"]
                exps[(kind, n)] = exp
                secs = populate(server, f"search-{label}", n, exp)
                res.put(f"populate: {label} runs inserted into the server's own schema", kind, Cell(secs), "info", "s")
                # the inserted data reads back through the server's API
                one = api(port, "GET", f"/runs/get?run_id={run_uuid(f'search-{label}', 0)}")["run"]["data"]
                if len(one.get("params", [])) != N_PARAMS or len(one.get("metrics", [])) != N_METRICS:
                    raise RuntimeError(f"{kind}: populated run reads back wrong: {str(one)[:300]}")
                log(f"  {kind}: {n:,} runs inserted in {secs:.1f}s (one read back over REST: ok)")
            server.settle()

        def history(server: Server) -> None:
            kind = server.kind
            t0 = time.perf_counter()
            status, raw = http_call(server.port, "GET", hist_path[kind], timeout=300)
            probe = time.perf_counter() - t0
            npoints = len(json.loads(raw).get("metrics", [])) if status == 200 else 0
            note = "" if npoints == HISTORY_POINTS else f", returned {npoints} points!"
            self.latency_point(res, server, "get-metric-history, 100k points", probe,
                               {"method": "GET", "path": hist_path[kind]}, note)

        def search(n: int, name: str, filtered: bool):
            def point(server: Server) -> None:
                kind = server.kind
                body = {"experiment_ids": [exps[(kind, n)]], "max_results": SEARCH_MAX}
                if filtered:
                    body.update(filter=SEARCH_FILTER, order_by=SEARCH_ORDER)
                t0 = time.perf_counter()
                status, raw = http_call(server.port, "POST", API + "/runs/search", body, timeout=300)
                probe = time.perf_counter() - t0
                if status != 200:
                    msg = raw.decode(errors="replace")[:200]
                    res.put(f"{name}: p50", kind, Cell(text="n/a (unsupported)"), "lower", "ms")
                    res.put(f"{name}: p99", kind, Cell(text="n/a (unsupported)"), "lower", "ms")
                    res.notes.append(f"{kind} refused `{name}` with HTTP {status}: `{msg}`")
                    log(f"  {kind}: {name}: refused (HTTP {status}) -> n/a")
                    return
                ids = [r["info"]["run_id"] for r in json.loads(raw).get("runs", [])]
                seen[kind][name] = (ids, f"{name}: p50")
                warm_until, warmed = time.perf_counter() + SEARCH_WARMUP_SECS, 0
                while warmed < SEARCH_WARMUP_MAX and time.perf_counter() < warm_until:
                    http_call(server.port, "POST", API + "/runs/search", body, timeout=300)
                    warmed += 1
                self.latency_point(res, server, name, probe, {"method": "POST", "path": API + "/runs/search",
                                                              "body": json.dumps(body)}, f", {len(ids)} runs")
            return point

        points = [history]
        for n in sizes:
            label = f"{n // 1000}k"
            points.append(search(n, f"search-runs {label}: filter + order_by metric", True))
            points.append(search(n, f"search-runs {label}: no filter, default order (first page)", False))
        self.paired(points, servers)
        for kind, server in servers.items():
            r, p, _ = server.memory()
            res.put("RSS right after the read workloads", kind, Cell(r, note=f"PSS {p:.0f}"), "lower", "MiB")
        return seen

    def pass_for(self, backend: str) -> Results:
        res = Results()
        seen = {}
        log(f"== {backend}: cold starts")
        servers = self.cold_starts(res, backend)
        try:
            if "writes" in self.a.phases:
                log(f"== {backend}: write workloads")
                self.writes(res, servers)
        finally:
            for s in servers.values():
                s.stop_and_clean()
        if "reads" in self.a.phases:
            log(f"== {backend}: read workloads (fresh instances)")
            servers = {}
            try:
                for kind in self.a.servers:
                    servers[kind] = Server(self.env, kind, backend, "reads")
                    servers[kind].start()
                for s in servers.values():
                    s.settle()
                seen = self.reads(res, servers)
            finally:
                for s in servers.values():
                    s.stop_and_clean(keep=self.a.keep_data)
        if "reprise" in seen and "mlflow" in seen:
            for name, (ids, metric) in seen["reprise"].items():
                if name in seen["mlflow"]:
                    other = seen["mlflow"][name][0]
                    same = ids == other
                    res.notes.append(f"`{name}`: Reprise and MLflow return "
                                     f"{'the same' if same else 'DIFFERENT'} run ids"
                                     f"{' in the same order' if same else ''} ({len(ids)} and {len(other)}).")
                    if not same:
                        for k in ("reprise", "mlflow"):
                            c = res.rows[metric][k]
                            c.note = (c.note + ", " if c.note else "") + "results differ!"
        return res

    def profile(self) -> str:
        """Reprise on SQLite under log-metric (8 connections) and run lifecycles (4 connections),
        each recorded with JFR after a warm-up (jcmd JFR.start/stop, so startup is not in it).
        Returns a markdown summary; the recordings and `jfr view` outputs stay in bench/out."""
        out = os.path.join(self.env.out, "profile")
        os.makedirs(out)
        jcmd = os.path.join(self.env.java_home, "bin", "jcmd")
        jfr = os.path.join(self.env.java_home, "bin", "jfr")
        server = Server(self.env, "reprise", "sqlite", "jfr")
        server.start()
        server.settle()
        recordings = []
        try:
            port = server.port
            exp = api(port, "POST", "/experiments/create", {"name": "jfr"})["experiment_id"]
            rid = api(port, "POST", "/runs/create", {"experiment_id": exp, "start_time": T0})["run"]["info"]["run_id"]
            plan = [
                ("log-metric", "log_metric.lua", {"run_id": rid, "key_prefix": "jfr", "ts0": T0}, 8, 2),
                ("lifecycle", "lifecycle.lua", {"experiment_id": exp, "tag": "jfr", "ts0": T0}, 4, 4),
            ]
            for name, script, cfg, conns, threads in plan:
                log(f"== profile: Reprise, SQLite, {name} {conns} conn, JFR")
                run_wrk(server, script, dict(cfg, key_prefix="warm", tag="warm"), conns, 5,
                        threads=threads, work_dir=out)  # warm-up
                path = os.path.join(out, f"reprise-{name}.jfr")
                subprocess.run([jcmd, str(server.proc.pid), "JFR.start", f"name={name}", "settings=profile",
                                f"filename={path}", "jdk.CPUTimeSample#enabled=true",
                                "jdk.CPUTimeSample#throttle=2ms"], check=True, capture_output=True)
                w = run_wrk(server, script, cfg, conns, max(self.D, 10), threads=threads, work_dir=out)
                subprocess.run([jcmd, str(server.proc.pid), "JFR.stop", f"name={name}"], check=True,
                               capture_output=True)
                recordings.append((name, conns, path, w))
        finally:
            server.stop()
        parts = []
        for name, conns, path, w in recordings:
            for view in ("hot-methods", "cpu-time-hot-methods", "native-methods", "contention-by-site",
                         "pinned-threads", "latencies-by-type", "gc", "allocation-by-site",
                         "exception-by-type", "thread-cpu-load"):
                r = subprocess.run([jfr, "view", "--width", "160", view, path], capture_output=True, text=True)
                with open(os.path.join(out, f"{name}-{view}.txt"), "w") as f:
                    f.write(r.stdout if r.returncode == 0 else r.stderr)
            parts.append(f"- {name}, {conns} connections: {w.requests:,} requests in {w.seconds:.1f}s "
                         f"({w.rps:,.0f} req/s with JFR on), server CPU {w.server_cpu_pct:.0f}% of one core, "
                         f"{w.server_cpu_ms_per_req:.2f} ms CPU per request, other processes "
                         f"{w.foreign_pct:.0f}% of the machine")
        parts += ["", f"Recordings and `jfr view` outputs: `{os.path.relpath(out, self.env.repo)}/`.", "",
                  stack_categories(jfr, [(n, p) for n, _, p, _ in recordings])]
        hot = os.path.join(out, "log-metric-cpu-time-hot-methods.txt")
        if os.path.exists(hot):
            with open(hot) as f:
                parts += ["", "`jfr view cpu-time-hot-methods` for log-metric (top rows):", "", "```",
                          trim_view(f.read(), 15), "```"]
        return "\n".join(parts)


def trim_view(text: str, n: int) -> str:
    lines = [l.rstrip() for l in text.splitlines() if l.strip()]
    return "\n".join(lines[: n + 3])


CATEGORIES = [
    ("under the SQLite write lock (JdbcTrackingStore.write)", "io.reprise.store.JdbcTrackingStore.write\n"),
    ("… SQLite statement prepare (NativeDB.prepare_utf8)", "org.sqlite.core.NativeDB.prepare_utf8"),
    ("… SQLite statement step, incl. COMMIT (NativeDB.step)", "org.sqlite.core.NativeDB.step"),
    ("… all SQLite JDBC + native (org.sqlite)", "org.sqlite."),
    ("… JDBI (org.jdbi)", "org.jdbi."),
    ("… HikariCP (com.zaxxer.hikari)", "com.zaxxer.hikari."),
    ("Jackson JSON (com.fasterxml.jackson)", "com.fasterxml.jackson."),
    ("request validation (io.reprise.tracking.Validation)", "io.reprise.tracking.Validation."),
    ("Javalin (io.javalin)", "io.javalin."),
    ("Jetty HTTP (org.eclipse.jetty; bottom of every request stack)", "org.eclipse.jetty."),
    ("JDK locks (java.util.concurrent.locks)", "java.util.concurrent.locks."),
    ("virtual-thread scheduling (ForkJoinPool, Continuation)", "java.util.concurrent.ForkJoinPool"),
]


def stack_categories(jfr: str, recordings: list[tuple[str, str]]) -> str:
    """Inclusive share of stack samples containing each layer: jdk.CPUTimeSample (on-CPU time,
    Java and native; falls back to jdk.ExecutionSample) and jdk.NativeMethodSample (threads
    inside native code, running or blocked, e.g. in fsync)."""
    cols = []
    for name, path in recordings:
        for event, label in (("jdk.CPUTimeSample", "on-CPU"), ("jdk.ExecutionSample", "on-CPU (Java only)"),
                             ("jdk.NativeMethodSample", "in native code")):
            if event == "jdk.ExecutionSample" and cols and cols[-1][0] == name and cols[-1][1] == "on-CPU":
                continue
            r = subprocess.run([jfr, "print", "--json", "--stack-depth", "256", "--events", event, path],
                               capture_output=True, text=True)
            try:
                events = json.loads(r.stdout)["recording"]["events"]
            except (ValueError, KeyError):
                continue
            if event == "jdk.NativeMethodSample":  # idle selector threads are not request work
                events = [e for e in events if not frames_of(e)[:1] == ["sun.nio.ch.EPoll.wait"]]
            if not events:
                continue
            counts = {cat: 0 for cat, _ in CATEGORIES}
            tops: dict[str, int] = {}
            for e in events:
                names = frames_of(e)
                joined = "\n".join(names) + "\n"
                for cat, needle in CATEGORIES:
                    if needle in joined:
                        counts[cat] += 1
                if names:
                    tops[names[0]] = tops.get(names[0], 0) + 1
            cols.append((name, label, len(events), counts, sorted(tops.items(), key=lambda kv: -kv[1])[:6]))
    if not cols:
        return "(no stack samples could be read)"
    lines = ["Share of stack samples that contain each layer (inclusive; a sample can count in several rows; "
             "'in native code' leaves out idle selector threads in EPoll.wait):", "",
             "| layer | " + " | ".join(f"{n}: {lab} (n={k:,})" for n, lab, k, _, _ in cols) + " |",
             "|---|" + "---:|" * len(cols)]
    for cat, _ in CATEGORIES:
        lines.append(f"| {cat} | " + " | ".join(f"{100 * c[cat] / k:.0f}%" for _, _, k, c, _ in cols) + " |")
    lines += ["", "Top frames (self time):", ""]
    for n, lab, k, _, tops in cols:
        lines.append(f"- {n}, {lab}: " + "; ".join(f"`{m}` {100 * x / k:.0f}%" for m, x in tops))
    return "\n".join(lines)


def frames_of(event: dict) -> list[str]:
    frames = (event["values"].get("stackTrace") or {}).get("frames") or []
    return [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in frames]


# ---------------------------------------------------------------- report


def sh(cmd: list[str]) -> str:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (r.stdout or r.stderr).strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"? ({e})"


def machine_info(env: Env) -> list[str]:
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    fs = sh(["df", "-T", env.out]).splitlines()[-1].split()
    java = sh([os.path.join(env.java_home, "bin", "java"), "-version"]).splitlines()
    py = os.path.join(env.venv, "bin", "python")
    mlflow_v = sh([py, "-c", "import mlflow; print(mlflow.__version__)"])
    sqlite_py = sh([py, "-c", "import sqlite3; print(sqlite3.sqlite_version)"])
    rev = sh(["git", "-C", env.repo, "rev-parse", "--short", "HEAD"])
    dirty = sh(["git", "-C", env.repo, "status", "--porcelain", "--", "src", "pom.xml"])
    with open(os.path.join(env.repo, "pom.xml")) as f:
        pom = f.read()
    sqlite_jdbc = (re.search(r"<sqlite.version>([^<]+)<", pom) or [None, "?"])[1]
    return [
        f"- machine: {os.cpu_count()} CPUs (`nproc`), {mem_kb / 1024 / 1024:.1f} GiB RAM, {cpu}; "
        f"Linux {platform.release()}; data on {fs[1]} ({fs[0]})",
        "- client and servers share the same cores: wrk runs on the same 2 CPUs as the server "
        "under test (one server at a time; the other is stopped)",
        f"- Reprise: commit {rev}{' + uncommitted src changes' if dirty else ''}; {java[0] if java else '?'}; "
        f"launcher flags for `server`: `-XX:+UseSerialGC -Xss512k -Xmx<half the memory limit, at most 1024m>` and sqlite-jdbc's native library unpacked once per build, with the JDK 25 AOT cache the launcher trains once per build (full JIT)"
        f"{' + REPRISE_JAVA_OPTS `' + env.reprise_java_opts + '`' if env.reprise_java_opts else ''}; "
        f"sqlite-jdbc {sqlite_jdbc} "
        "(WAL, synchronous=FULL)",
        f"- MLflow: {mlflow_v} (`mlflow server` defaults: 4 uvicorn workers plus its job runner and "
        f"huey consumer processes), Python {sh([py, '-c', 'import platform; print(platform.python_version())'])}, "
        f"SQLite {sqlite_py} (its default rollback journal, synchronous=FULL: durable too)",
        f"- load generator: {sh(['wrk', '--version']).splitlines()[0].strip()} with Lua scripts in `bench/tracking/lua`",
    ]


def method_notes(args) -> list[str]:
    return [
        f"- Durations: {args.duration:g}s per throughput point (≥10s for lifecycles and latency points); "
        f"{args.starts} cold starts per server (median shown). Latencies are wrk's closed-loop "
        "latencies (each connection sends its next request when the previous answer arrives).",
        "- Errors: 'non-2xx answers' counts every answer that was not 2xx (from the Lua response "
        "hook); socket errors and timeouts (60s) are shown next to them. Throughput counts all "
        "answers; log-batch metrics/s counts 2xx answers only.",
        "- log-metric: one unique point per request (key per wrk thread, step/timestamp per request), "
        "all into one run. log-batch: 1,000 unique points per request (10 keys x 100 steps). "
        "Lifecycle: runs/create, log-batch of 20 params, log-batch of 10 tags, 100 log-batch calls of "
        "10 metrics (one per step), runs/update FINISHED; one connection per wrk thread.",
        f"- search-runs: filter `{SEARCH_FILTER}`, order_by `{SEARCH_ORDER[0]}`, max_results {SEARCH_MAX}, "
        "over an experiment of 10k / 100k runs (20 params p1..p20 with values v0..v9, 10 metrics "
        "m1..m10 in [0,1), 2 tags each; the filter matches ~5% of the runs). The same deterministic "
        "runs (same run ids) are inserted straight into each server's own schema (columns read from "
        "the database the server created), because populating MLflow over REST would take hours; "
        "one run is read back over REST as a check. No ANALYZE on SQLite (neither server runs it). "
        f"Each search is repeated for up to {SEARCH_WARMUP_SECS:g}s ({SEARCH_WARMUP_MAX} requests at most) "
        "before it is measured, so that the first one measured does not also pay for JIT warm-up.",
        "- get-metric-history: one metric with 100,000 points, logged over REST as 100 log-batch "
        "calls of 1,000 (time shown), fetched whole (no max_results).",
        "- Cold start: process spawn to the first 200 on GET /health, then to the first 200 on "
        "POST experiments/search (polled every 5 ms); each start in a fresh directory with a new "
        "database (so it includes schema creation), then as many restarts on the database the last "
        "start created (schema in place); the OS file cache is warm. Reprise is started "
        "through its `./reprise` launcher (JDK lookup included). Memory: sum over the whole process "
        f"tree from /proc, idle = at least {args.idle_wait:g}s after the first answer and once the "
        "tree has used < 5% of a core for 3s (mlflow starts its job runner and huey consumers "
        "well after /health answers; nothing is measured before they are up), and right after the load.",
        "- Ratio: how many times better Reprise is (throughput: Reprise/MLflow; latency, time and "
        "memory: MLflow/Reprise).",
        "- Server CPU per request: CPU seconds of the whole server process tree (from /proc) during "
        "the measurement divided by the requests answered. It is the least noisy number when the "
        "machine is shared.",
        f"- Shared machine: before each measurement the harness waits (up to {args.quiet_timeout:g}s, "
        f"{args.quiet_budget:g}s in all, and no more after 3 waits in a row found steady load; "
        f"{Quiet.waited:.0f}s were spent waiting in this run) "
        f"until processes other than the server under test use at most {args.quiet_threshold:g}% of "
        "the machine, then measures anyway. Cells marked † were measured while other processes used "
        f"more than {args.quiet_threshold:g}% of the machine (the details table shows how much): "
        "treat them as lower bounds for that server.",
    ]


def details_table(res: Results) -> str:
    head = ["| workload | server | conn | requests | req/s | p50 ms | p99 ms | max ms | non-2xx | "
            "socket err/timeouts | server CPU (1 core = 100%) | server CPU ms/req | wrk CPU | "
            "machine busy (all cores = 100%) | foreign CPU before / during |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    return "\n".join(head + res.details)


BEGIN = ("<!-- generated results: begin (bench/tracking/run rewrites everything from here to the end "
         "marker; text above and below is kept) -->")
MARKER = "<!-- end of generated results: text below this line is kept when the harness rewrites the file -->"
TITLE = "# Reprise vs. MLflow tracking server: benchmark results\n\n"


def kept_parts(path: str) -> tuple[str, str]:
    """The hand-written text around the generated part of an existing results file: what comes
    before the begin marker (a new file gets only the title) and after the end marker."""
    if not os.path.exists(path):
        return TITLE, "\n"
    with open(path) as f:
        old = f.read()
    head, tail = TITLE, "\n"
    if MARKER in old:
        old, tail = old.split(MARKER, 1)
    if BEGIN in old:
        head = old.split(BEGIN, 1)[0]
    return head, tail or "\n"


def ratio_value(res: Results, metric: str) -> float | None:
    cells = res.rows.get(metric, {})
    r, m = cells.get("reprise"), cells.get("mlflow")
    if r is None or m is None or not r.value or not m.value:
        return None
    return r.value / m.value if res.kinds[metric] == "higher" else m.value / r.value


def value_of(res: Results, metric: str, kind: str = "reprise") -> float | None:
    c = res.rows.get(metric, {}).get(kind)
    return c.value if c else None


def targets(res: Results) -> str:
    """Issue #4's targets, met or not, computed from this pass's numbers."""
    def x(metric: str) -> str:
        v = ratio_value(res, metric)
        return "?" if v is None else (f"{v:.0f}x" if v >= 10 else f"{v:.1f}x")

    rows = ["| target | result | met? |", "|---|---|---|"]
    writes = [f"log-metric, {c} conn: req/s" for c in (1, 8, 32)] + \
        [f"log-batch 1,000 metrics, {c} conn: metrics/s (2xx only)" for c in (1, 4)] + \
        [f"run lifecycle (104 requests), {c} conn: lifecycles/s (2xx answers / 104)" for c in (1, 4)]
    if any(w in res.rows for w in writes):
        got = [ratio_value(res, w) for w in writes]
        short = [w.split(":")[0] for w, v in zip(writes, got) if v is not None and v < 20]
        rows.append(f"| >= 20x on write workloads | log-metric {x(writes[0])} / {x(writes[1])} / {x(writes[2])} "
                    f"(1/8/32 conn); log-batch {x(writes[3])} / {x(writes[4])} (1/4 conn); lifecycle "
                    f"{x(writes[5])} / {x(writes[6])} (1/4 conn) | "
                    f"{'yes' if not short and None not in got else 'no: ' + ', '.join(short) if short else '?'} |")
    s100, s10 = "search-runs 100k: filter + order_by metric: p50", "search-runs 10k: filter + order_by metric: p50"
    if s100 in res.rows or s10 in res.rows:
        p100, p10 = value_of(res, s100), value_of(res, s10)
        r100 = ratio_value(res, s100)
        met = p100 is not None and p100 < 20 and r100 is not None and r100 >= 20
        rows.append(f"| search-runs p50 < 20 ms at 100k runs, >= 20x MLflow | 100k: "
                    f"{fmt(p100, 'ms')} ({x(s100)}); 10k: {fmt(p10, 'ms')} ({x(s10)}) | {'yes' if met else 'no'} |")
    fresh = value_of(res, "cold start → first 200 on /health")
    again = value_of(res, "restart on the existing database → first 200 on /health")
    if fresh is not None:
        worst = max(v for v in (fresh, again) if v is not None)
        rows.append(f"| cold start < 1 s | new database {fmt(fresh, 's')}"
                    f"{'' if again is None else ', existing database ' + fmt(again, 's')} (median, to /health) | "
                    f"{'yes' if worst < 1 else 'no'} |")
    rss = value_of(res, "idle RSS, whole process tree")
    if rss is not None:
        mb = rss * 1.048576
        rows.append(f"| idle RSS < 200 MB | {mb:.0f} MB ({rss:.0f} MiB) | {'yes' if mb < 200 else 'no'} |")
    return "\n".join(rows)


def write_results(path: str, env: Env, args, passes: list[tuple[str, Results]], profile: str | None,
                  command: str, started: float) -> None:
    head, tail = kept_parts(path)
    out = [BEGIN, "",
           f"Generated by `bench/tracking/run` on {dt.datetime.now().strftime('%Y-%m-%d %H:%M %Z').strip()} "
           f"(total {(time.time() - started) / 60:.1f} min).", "", "Command:", "", "```sh", command, "```", "",
           "## Setup", ""] + machine_info(env)
    if env.pg:
        out.append(f"- PostgreSQL {env.pg.server_version} ({'private instance started by the harness' if env.pg.own_dir else 'given by --pg-url'}; "
                   f"{env.pg.settings}), each server on its own new database in it; after the direct inserts "
                   "the harness runs ANALYZE on PostgreSQL (autovacuum would soon)")
    out += ["", "## Method", ""] + method_notes(args)
    for backend, res in passes:
        out += ["", f"## Targets of issue #4 ({backend}, this run)", "", targets(res)]
    for backend, res in passes:
        out += ["", f"## Results: {backend}", "", table(res), ""]
        if res.notes:
            out += ["Notes:", ""] + [f"- {n}" for n in res.notes] + [""]
        out += ["<details><summary>Per-measurement details (CPU use shows who the bottleneck is)</summary>", "",
                details_table(res), "", "</details>"]
    if profile:
        out += ["", "## Profile: Reprise on SQLite under load (JFR)", "", profile]
    out += ["", MARKER]
    with open(path, "w") as f:
        f.write(head + "\n".join(out) + tail)


# ---------------------------------------------------------------- main


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="bench/tracking/run",
        description="Benchmark Reprise against a real `mlflow server` on this machine with the same "
                    "wrk load, print a ratio table and write bench/RESULTS.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  bench/tracking/run                    # full SQLite bench (~15 min)\n"
               "  bench/tracking/run --quick            # 10k runs only, 5s points, 1 cold start\n"
               "  bench/tracking/run --with-postgres    # also a PostgreSQL pass (private server)\n"
               "  bench/tracking/run --with-postgres --pg-url postgresql://me@127.0.0.1:5432/postgres\n"
               "  bench/tracking/run --servers reprise --phases writes --no-results\n")
    p.add_argument("--quick", action="store_true", help="10k-run search only, 5s per point, 1 cold start, no profile")
    p.add_argument("--duration", type=float, help="seconds per throughput point (default 15, quick 5)")
    p.add_argument("--starts", type=int, help="cold starts per server (default 3, quick 1)")
    p.add_argument("--idle-wait", type=float, default=5.0, help="seconds to wait before the idle memory reading")
    p.add_argument("--servers", default="reprise,mlflow", help="comma list of reprise,mlflow (default both)")
    p.add_argument("--phases", default="writes,reads,profile",
                   help="comma list of writes,reads,profile (cold starts always run)")
    p.add_argument("--reprise-java-opts", default="",
                   help="extra JVM options for Reprise (REPRISE_JAVA_OPTS, after the launcher's own), "
                        "for experiments; write it with =, e.g. --reprise-java-opts=-XX:TieredStopAtLevel=4; shown in the results")
    p.add_argument("--with-postgres", action="store_true", help="add a pass with both servers on PostgreSQL")
    p.add_argument("--postgres-only", action="store_true", help="run only the PostgreSQL pass")
    p.add_argument("--pg-url", help="PostgreSQL server to use (postgresql://user[:pw]@host:port/db); the "
                                    "harness creates and drops its own databases in it. Default: start a "
                                    "private server (initdb under bench/out, as user postgres)")
    p.add_argument("--quiet-threshold", type=float, default=15.0,
                   help="before each measurement, wait until processes other than the server use at most "
                        "this %% of the machine (default 15)")
    p.add_argument("--quiet-timeout", type=float, default=30.0,
                   help="longest wait for that, in seconds, before measuring anyway (default 30)")
    p.add_argument("--quiet-budget", type=float, default=600.0,
                   help="total seconds of such waiting per run, after which it measures at once (default 600)")
    p.add_argument("--results", default=None, help="results file to write (default bench/RESULTS.md)")
    p.add_argument("--no-results", action="store_true", help="print only; do not write the results file")
    p.add_argument("--keep-data", action="store_true", help="keep the read-phase databases in bench/out")
    # set by bench/tracking/run
    p.add_argument("--repo", help=argparse.SUPPRESS)
    p.add_argument("--venv", help=argparse.SUPPRESS)
    p.add_argument("--java-home", help=argparse.SUPPRESS)
    p.add_argument("--command-line", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    a.duration = a.duration or (5.0 if a.quick else 15.0)
    a.starts = a.starts or (1 if a.quick else 3)
    a.servers = [s.strip() for s in a.servers.split(",") if s.strip()]
    a.phases = [s.strip() for s in a.phases.split(",") if s.strip()]
    if a.quick and "profile" in a.phases and "--phases" not in " ".join(argv):
        a.phases.remove("profile")
    if a.postgres_only:
        a.with_postgres = True
    for s in a.servers:
        if s not in ("reprise", "mlflow"):
            p.error(f"unknown server {s}")
    if not (a.repo and a.venv and a.java_home):
        p.error("start this through bench/tracking/run")
    return a


def main(argv) -> int:
    args = parse_args(argv)
    Quiet.threshold, Quiet.timeout, Quiet.budget = args.quiet_threshold, args.quiet_timeout, args.quiet_budget
    started = time.time()
    out = os.path.join(args.repo, "bench", "out", time.strftime("run-%Y%m%d-%H%M%S"))
    os.makedirs(out)
    env = Env(repo=args.repo, venv=args.venv, java_home=args.java_home, out=out,
              reprise_java_opts=args.reprise_java_opts)
    log(f"output folder: {out}")
    passes: list[tuple[str, Results]] = []
    profile = None
    bench = Bench(args, env)
    try:
        if not args.postgres_only:
            passes.append(("SQLite", bench.pass_for("sqlite")))
            print("\n" + table(passes[-1][1]) + "\n", flush=True)
        if args.with_postgres:
            env.pg = Postgres(args.pg_url, out)
            target = os.path.join(args.repo, "bench", "out", "pylib")
            if "mlflow" in args.servers:
                env.pg_pythonpath = ensure_psycopg2(env.venv, target)
            passes.append(("PostgreSQL", bench.pass_for("postgres")))
            print("\n" + table(passes[-1][1]) + "\n", flush=True)
        if "profile" in args.phases and "reprise" in args.servers and not args.postgres_only:
            profile = bench.profile()
            print(profile, flush=True)
    finally:
        if env.pg:
            env.pg.stop(keep=args.keep_data)
    for backend, res in passes:
        if res.notes:
            print(f"notes ({backend}):\n" + "\n".join(f"  - {n}" for n in res.notes))
    if not args.no_results:
        path = args.results or os.path.join(args.repo, "bench", "RESULTS.md")
        write_results(path, env, args, passes, profile, args.command_line or "bench/tracking/run", started)
        log(f"wrote {path}")
    log(f"done in {(time.time() - started) / 60:.1f} min")
    return 0


def ensure_psycopg2(venv: str, target: str) -> str:
    """MLflow needs a PostgreSQL driver; it goes into bench/out/pylib (PYTHONPATH for the mlflow
    process only), so the shared venv stays as scripts/python-env.sh made it."""
    py = os.path.join(venv, "bin", "python")
    # SQLAlchemy 2.1 maps postgresql:// to psycopg (3)
    check = subprocess.run([py, "-c", "import psycopg"], env={**os.environ, "PYTHONPATH": target},
                           capture_output=True)
    if check.returncode != 0:
        log("installing psycopg[binary] into bench/out/pylib for mlflow's PostgreSQL backend")
        subprocess.run([py, "-m", "pip", "install", "--disable-pip-version-check", "-q", "--target",
                        target, "psycopg[binary]"], check=True)
    return target


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
