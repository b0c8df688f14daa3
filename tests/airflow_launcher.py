"""`make airflow` started for a test: the launcher (`python -m provnews_tools.airflow_standalone`) with a temp
AIRFLOW_HOME, free ports, the replica following the machine's clock (as `make airflow` runs it; CI runs these
tests under a shifted clock too) and two replica sources with politeness off.

Use the `airflow` fixture from tests/conftest.py (one launcher per test module), or this module directly:

    with start_standalone(tmp_path) as af:
        api = wait_for("a token", lambda: AirflowApi.login(af.base, ADMIN, af.password), 180, af.log)
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from replica_fixture import candidate_port, write_fast_sources

from provnews_tools.replica_sources import SOURCE_PORT

SOURCES = ("baohaiduong", "tinhuyhaiduong")


@dataclass(frozen=True)
class Standalone:
    """A running launcher: where its UI/API answers and where it keeps things."""

    base: str  # the UI and REST API, http://127.0.0.1:PORT
    home: Path  # AIRFLOW_HOME
    warehouse: Path
    log: Path  # the launcher's stdout and stderr, Airflow's components included
    proc: subprocess.Popen[bytes]

    def printed_password(self) -> str | None:
        """The admin password as the launcher printed it for the user (None until it has)."""
        found = re.search(r"user: \S+\s+password: (\S+)", self.log.read_text(errors="replace"))
        return found.group(1) if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def quick_profiles(dest: Path) -> Path:
    """The SOURCES' replica profiles with politeness off (loopback), still on the placeholder port."""
    write_fast_sources(dest, SOURCE_PORT, SOURCES)
    return dest


@contextlib.contextmanager
def start_standalone(tmp: Path) -> Iterator[Standalone]:
    """Run the launcher as `make airflow` does, on a small world (3 articles a day for 6 days); stop it after."""
    api_port, replica_port = free_port(), candidate_port()
    log = tmp / "standalone.log"
    cmd = [sys.executable, "-m", "provnews_tools.airflow_standalone", "--port", str(replica_port),
           "--airflow-port", str(api_port), "--home", str(tmp / "airflow_home"),
           "--warehouse", str(tmp / "warehouse"),
           "--per-day", "3", "--days", "6", "--sources", str(quick_profiles(tmp / "profiles"))]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        yield Standalone(f"http://127.0.0.1:{api_port}", tmp / "airflow_home", tmp / "warehouse", log, proc)
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # the launcher stops Airflow and the replica on SIGINT
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
