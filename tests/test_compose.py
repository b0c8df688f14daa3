"""docker-compose.yml cannot run here (no Docker engine), so its structure is checked instead: the Airflow 3
services on Celery + Postgres + Redis, their start order, the warehouse volume, an image built from this
project, and an environment that names only settings the code (and Airflow) actually read."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from provnews.settings import Settings

REPO = Path(__file__).resolve().parent.parent
AIRFLOW_SERVICES = {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer",
                    "airflow-worker"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    return doc


def env_of(service: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in (service.get("environment") or {}).items()}


def test_runs_airflow_3_components_on_celery_postgres_and_redis(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert AIRFLOW_SERVICES | {"airflow-init", "postgres", "redis"} <= set(services)
    commands = {name: services[name].get("command") for name in AIRFLOW_SERVICES}
    assert commands == {"airflow-apiserver": "api-server", "airflow-scheduler": "scheduler",
                        "airflow-dag-processor": "dag-processor", "airflow-triggerer": "triggerer",
                        "airflow-worker": "celery worker"}
    for name in AIRFLOW_SERVICES | {"airflow-init"}:
        env = env_of(services[name])
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql"), name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:") or \
            env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://:@redis:"), name


def test_services_start_in_order(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["postgres"]["healthcheck"]["test"] and services["redis"]["healthcheck"]["test"]
    for name in AIRFLOW_SERVICES:
        deps = services[name]["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy", name
        assert deps["redis"]["condition"] == "service_healthy", name
        assert deps["airflow-init"]["condition"] == "service_completed_successfully", name
    init_cmd = " ".join(services["airflow-init"]["command"])
    assert "airflow db migrate" in init_cmd and "airflow pools set provnews_crawl" in init_cmd


def test_the_image_is_built_from_this_project(compose: dict[str, Any]) -> None:
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM apache/airflow:3\.", dockerfile, re.M)
    for name in AIRFLOW_SERVICES | {"airflow-init"}:
        build = compose["services"][name]["build"]
        assert (REPO / build["context"] / build["dockerfile"]).resolve() == REPO / "Dockerfile"
    # Everything the DAGs import is copied into the image and installed.
    for package in ("provnews", "crawler", "transforms", "warehouse", "dags"):
        assert re.search(rf"^COPY .*\b{package} \./{package}$", dockerfile, re.M), package
    assert "pip install" in dockerfile and "-e ." in dockerfile


def test_the_warehouse_is_a_volume_where_the_tasks_write(compose: dict[str, Any]) -> None:
    assert "warehouse" in compose["volumes"]
    for name in AIRFLOW_SERVICES:
        service = compose["services"][name]
        mounts = dict(v.split(":", 1) for v in service["volumes"])
        assert env_of(service)["PROVNEWS_WAREHOUSE"] == f"${{PROVNEWS_WAREHOUSE:-{mounts['warehouse']}}}", name


def test_the_s3_profile_serves_the_bucket_the_header_points_the_warehouse_at(compose: dict[str, Any]) -> None:
    weed = compose["services"]["seaweedfs"]
    assert weed["profiles"] == ["s3"] and "-bucket=provnews" in weed["command"]
    header = (REPO / "docker-compose.yml").read_text(encoding="utf-8").split("\nx-airflow-common:")[0]
    assert "PROVNEWS_WAREHOUSE=s3://provnews/warehouse" in header
    assert "PROVNEWS_S3_ENDPOINT=http://seaweedfs:8333" in header and 8333 in weed["expose"]
    identity = json.loads(compose["configs"]["seaweedfs-s3"]["content"])["identities"][0]
    assert identity["credentials"][0]["accessKey"] == "${AWS_ACCESS_KEY_ID:-provnews}"


def test_dags_folder_is_where_the_image_puts_dags(compose: dict[str, Any]) -> None:
    env = env_of(compose["services"]["airflow-scheduler"])
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    workdir = re.search(r"^WORKDIR (\S+)", dockerfile, re.M)
    assert workdir and env["AIRFLOW__CORE__DAGS_FOLDER"] == f"{workdir.group(1)}/dags"


def settings_env_names() -> set[str]:
    return {(f.description or "").split(":")[0] for f in Settings.model_fields.values()}


def test_provnews_settings_match_what_the_code_reads(compose: dict[str, Any]) -> None:
    """Every PROVNEWS_* variable is a Settings field's variable, and every Settings variable is set."""
    for name in AIRFLOW_SERVICES:
        provnews_vars = {k for k in env_of(compose["services"][name]) if k.startswith("PROVNEWS_")}
        assert provnews_vars == settings_env_names(), name
    header = (REPO / "docker-compose.yml").read_text(encoding="utf-8").split("\nx-airflow-common:")[0]
    for var in settings_env_names():
        assert var in header, f"{var} is not documented in docker-compose.yml's header"


def airflow_config_options() -> dict[str, set[str]]:
    """Sections and options Airflow core reads, from its installed config template (without importing it)."""
    spec = importlib.util.find_spec("airflow")
    assert spec and spec.submodule_search_locations
    template = Path(next(iter(spec.submodule_search_locations))) / "config_templates" / "config.yml"
    doc = yaml.safe_load(template.read_text(encoding="utf-8"))
    return {section: set(body["options"]) for section, body in doc.items()}


def test_airflow_settings_name_real_options(compose: dict[str, Any]) -> None:
    options = airflow_config_options()
    celery = {"broker_url", "result_backend"}  # options of the Celery provider (in the image, not here)
    for name, service in compose["services"].items():
        for var in env_of(service):
            if not var.startswith("AIRFLOW__"):
                continue
            section, key = (part.lower() for part in var.removeprefix("AIRFLOW__").split("__", 1))
            known = celery if section == "celery" else options.get(section, set())
            assert key in known, f"{name}: {var} is not an Airflow option"
