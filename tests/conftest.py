"""Shared pytest fixtures: a running replica of the provincial news sites (see tests/replica_fixture.py) and
`make airflow`'s launcher (see tests/airflow_launcher.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from airflow_launcher import Standalone, start_standalone
from replica_fixture import SMALL_WORLD, MakeReplica, Replica, start_replica

from provnews_tools.seaweed import LOCK_URL, Seaweed, start_seaweed
from replica.faults import Faults
from replica.world import WorldConfig
from warehouse.storage import S3Root


@pytest.fixture(scope="session")
def replica() -> Iterator[Replica]:
    """One replica for the whole session: 5 sites, about 3 articles a day for 6 days, today = its last day.

    Tests that move its clock must put it back: `with replica.at(day): ...`.
    """
    rep = start_replica(SMALL_WORLD)
    try:
        yield rep
    finally:
        rep.stop()


@pytest.fixture
def make_replica() -> Iterator[MakeReplica]:
    """A factory for replicas owned by one test (fault mode, other worlds); all are stopped afterwards.

    `make_replica(faults=Faults(error_500=0.3))`, `make_replica(WorldConfig(per_day=1, days=2), today=...)`.
    """
    started: list[Replica] = []

    def make(config: WorldConfig = SMALL_WORLD, today: date | None = None,
             faults: Faults | None = None) -> Replica:
        rep = start_replica(config, today, faults)
        started.append(rep)
        return rep

    try:
        yield make
    finally:
        for rep in started:
            rep.stop()


@pytest.fixture(scope="module")
def airflow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Standalone]:
    """The launcher of `make airflow` (replica + Airflow standalone), fresh for each test module that asks."""
    with start_standalone(tmp_path_factory.mktemp("standalone")) as standalone:
        yield standalone


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seaweed]:
    """A SeaweedFS S3 server on loopback (provnews_tools.seaweed) for the session, with the bucket `provnews`."""
    weed = start_seaweed(tmp_path_factory.mktemp("seaweed"))
    try:
        yield weed
    finally:
        weed.stop()


@pytest.fixture
def s3_root(seaweed: Seaweed, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> S3Root:
    """A fresh warehouse prefix on the session's SeaweedFS, its credentials in the environment."""
    for key, value in seaweed.env("").items():
        if key.startswith("AWS_"):
            monkeypatch.setenv(key, value)
    root = seaweed.root(f"t-{uuid.uuid4().hex[:10]}")
    return S3Root(root.bucket, root.prefix, root.endpoint, root.region, LOCK_URL)
