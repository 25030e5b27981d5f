"""Starting and stopping the servers the compatibility tests talk to.

Each server runs in its own process group so that stopping it also stops whatever it spawned
(`mlflow server` forks uvicorn workers); nothing is left behind when a test session ends.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """A server started from a command line, reachable at `url` once `/health` answers."""

    def __init__(self, name: str, argv: list[str], port: int, log_path: Path, env=None, cwd=None):
        self.name = name
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.proc = subprocess.Popen(
            argv,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer /health within {timeout}s:\n{self.log_tail()}")

    def log_text(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM to the whole group, SIGKILL if it lingers; the group dies with its leader."""
        if self.proc.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.proc.wait(timeout=10)
        # children (uvicorn workers) may outlive the leader for a moment
        self._signal_group(signal.SIGKILL)
        self._log.close()

    def _signal_group(self, sig) -> None:
        try:
            os.killpg(self.proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def start_reprise(workdir: Path, extra_args: tuple[str, ...] = ()) -> ServerProcess:
    port = free_port()
    argv = [
        str(REPO_ROOT / "reprise"),
        "server",
        "--port",
        str(port),
        "--backend-store-uri",
        f"sqlite:///{workdir / 'reprise.db'}",
        "--artifacts-destination",
        str(workdir / "artifacts"),
        *extra_args,
    ]
    server = ServerProcess("reprise", argv, port, workdir / "reprise.log", cwd=REPO_ROOT)
    # The launcher rebuilds the jar when sources changed; allow for that.
    server.wait_healthy(timeout=240)
    return server


def mlflow_server_executable() -> Path | None:
    """The `mlflow` CLI of this interpreter's environment, if it has the full server."""
    try:
        import mlflow.server  # noqa: F401  (mlflow-skinny has no server)
        import uvicorn  # noqa: F401
    except ImportError:
        return None
    exe = Path(sys.executable).parent / "mlflow"
    return exe if exe.exists() else None


def start_mlflow(workdir: Path) -> ServerProcess:
    exe = mlflow_server_executable()
    if exe is None:
        raise RuntimeError("this environment has no full mlflow server")
    port = free_port()
    argv = [
        str(exe),
        "server",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--backend-store-uri",
        f"sqlite:///{workdir / 'mlflow.db'}",
        "--artifacts-destination",
        str(workdir / "mlartifacts"),
    ]
    env = dict(os.environ)
    # The background job runner is not needed and would add processes to clean up.
    env["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"
    env.pop("MLFLOW_TRACKING_URI", None)
    server = ServerProcess("mlflow", argv, port, workdir / "mlflow.log", env=env, cwd=workdir)
    server.wait_healthy(timeout=120)
    return server
