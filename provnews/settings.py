"""The one settings object. Read once from the environment at the edge (CLI, DAG) and passed down."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator

from warehouse.storage import S3_SCHEME, Root, resolve

PACKAGE_SOURCES_DIR = Path(__file__).resolve().parent.parent / "sources" / "profiles"
# profiles of the real provincial sites, shipped disabled; `provnews sources enable` copies them into sources_dir
PACKAGE_REGISTRY_DIR = Path(__file__).resolve().parent.parent / "sources" / "registry"

# A size as DuckDB reads it: 500MB, 2GB, 1.5GiB
DuckDBSize = Annotated[str, Field(pattern=r"(?i)^\s*\d+(\.\d+)?\s*(b|[kmgt]i?b)\s*$")]


class SettingsError(ValueError):
    """An environment variable with a value its setting cannot take; one line per variable."""


class Settings(BaseModel):
    """Where things live, how loud to be, and the bounds (the README's "Limits and failure modes").

    Every field has an environment variable: the first word of its description."""

    model_config = ConfigDict(populate_by_name=True)

    # a directory, or s3://bucket/prefix (warehouse.storage); `Settings(warehouse=path)` sets it too
    warehouse_url: str = Field(default="data/warehouse", validation_alias=AliasChoices("warehouse_url", "warehouse"),
                               description="PROVNEWS_WAREHOUSE: a directory or s3://bucket/prefix")
    s3_endpoint: str = Field(default="", description="PROVNEWS_S3_ENDPOINT: e.g. http://127.0.0.1:8333; "
                                                     "credentials are the AWS_* variables")
    warehouse_lock: str = Field(default="", description="PROVNEWS_WAREHOUSE_LOCK: postgresql:// URL whose "
                                                        "advisory locks writers of an s3:// warehouse take")
    sources_dir: Path = Field(default=PACKAGE_SOURCES_DIR, description="PROVNEWS_SOURCES_DIR")
    registry_dir: Path = Field(default=PACKAGE_REGISTRY_DIR,
                               description="PROVNEWS_REGISTRY_DIR: the real sites' profiles (sources list --all)")
    # how a site's operator reaches whoever runs the crawl: added to the User-Agent; a profile of a real site
    # (one with provenance) is not crawled without it
    contact: str = Field(default="", max_length=200,
                         description="PROVNEWS_CONTACT: an e-mail address or URL, e.g. mailto:ops@example.org")
    log_level: str = Field(default="INFO", description="PROVNEWS_LOG_LEVEL")
    log_format: str = Field(default="text", description="PROVNEWS_LOG_FORMAT: text or json")
    # what one archived body may inflate to when a day is transformed, loaded or reprocessed: the archive keeps
    # what the crawler refused too (a gzip bomb); a record over it is quarantined as too-large
    max_decompressed_bytes: int = Field(default=32 * 1024 * 1024, ge=1024,
                                        description="PROVNEWS_MAX_DECOMPRESSED_BYTES: bytes")
    # the daily DAG's first retry of a failed task waits this long (then twice as long, up to 30 minutes)
    task_retry_delay_s: float = Field(default=120.0, gt=0, le=1800,
                                      description="PROVNEWS_TASK_RETRY_DELAY_S: seconds before a task's retry")
    # provnews query: a query over the limit is stopped with a one-line error naming the variable
    query_timeout_s: float = Field(default=30.0, gt=0, description="PROVNEWS_QUERY_TIMEOUT_S: wall time")
    query_memory_limit: DuckDBSize = Field(default="2GB", description="PROVNEWS_QUERY_MEMORY_LIMIT: DuckDB's")
    query_threads: int = Field(default=2, ge=1, le=64, description="PROVNEWS_QUERY_THREADS: DuckDB's threads")
    query_temp_limit: DuckDBSize = Field(
        default="4GB", description="PROVNEWS_QUERY_TEMP_LIMIT: what DuckDB may spill to its temporary directory")
    query_max_rows: int = Field(default=10_000, ge=1, description="PROVNEWS_QUERY_MAX_ROWS: rows returned")
    # extraction, per page: a page over a limit becomes a quarantine row (extractor-timeout, too-large)
    extract_timeout_s: float = Field(default=20.0, gt=0, description="PROVNEWS_EXTRACT_TIMEOUT_S: parse+extract")
    max_page_bytes: int = Field(default=8 * 1024 * 1024, ge=1,
                                description="PROVNEWS_MAX_PAGE_BYTES: page size fed to the parser")
    # provnews extract: one line of its --urls file or --jsonl input (a JSON line may hold a whole page)
    max_input_line_bytes: int = Field(default=32 * 1024 * 1024, ge=1,
                                      description="PROVNEWS_MAX_INPUT_LINE_BYTES: bytes in one line")
    # the crawl days a command accepts: a date outside is an argument error, not a partition
    earliest_day: date = Field(default=date(1990, 1, 1), description="PROVNEWS_EARLIEST_DAY")
    days_ahead: int = Field(default=1, ge=0, le=366,
                            description="PROVNEWS_DAYS_AHEAD: days after today (Vietnam) a crawl day may be")

    # provnews sources probe: what one probe of a site may fetch, in responses and in wall time
    probe_max_pages: int = Field(default=120, ge=5, description="PROVNEWS_PROBE_MAX_PAGES: responses")
    probe_timeout_s: float = Field(default=180.0, gt=0, description="PROVNEWS_PROBE_TIMEOUT_S: wall time")
    probe_sample: int = Field(default=8, ge=1, le=100,
                              description="PROVNEWS_PROBE_SAMPLE: articles read by the generic extractor")

    @field_validator("warehouse_url", mode="before")
    @classmethod
    def _path_text(cls, value: object) -> object:
        return str(value) if isinstance(value, os.PathLike) else value

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """BaseModel's, also taking `warehouse` for warehouse_url as the constructor does (model_copy runs no
        validation: an update naming the property would be kept beside it and never read)."""
        if update and "warehouse" in update:
            update = {k: v for k, v in update.items() if k != "warehouse"} | {
                "warehouse_url": str(self._path_text(update["warehouse"]))}
        return super().model_copy(update=update, deep=deep)

    @property
    def warehouse_root(self) -> Root:
        """The warehouse, local or on S3: what the commands that work on both pass down."""
        return resolve(self.warehouse_url, self.s3_endpoint, lock_url=self.warehouse_lock)

    @property
    def warehouse(self) -> Path:
        """The local warehouse directory, for the local-only tools (`make demo`, `make airflow`, bench faults);
        a one-line SettingsError for an s3:// warehouse. Every `provnews` command and the DAGs use
        warehouse_root, which is either."""
        if self.warehouse_url.startswith(S3_SCHEME):
            raise SettingsError(f"PROVNEWS_WAREHOUSE={self.warehouse_url}: this tool needs a local warehouse "
                                "directory (every provnews command and the DAGs work on S3)")
        return Path(self.warehouse_url)

    @classmethod
    def env_var(cls, name: str) -> str:
        """The environment variable of field `name`."""
        return (cls.model_fields[name].description or "").split(":")[0]

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        values: dict[str, str] = {}
        for name in cls.model_fields:
            var = cls.env_var(name)
            if var and var in env and env[var] != "":
                values[name] = env[var]
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise SettingsError("\n".join(
                f"{cls.env_var(str(err['loc'][0]))}={values.get(str(err['loc'][0]))!r}: {err['msg']}"
                for err in exc.errors())) from None
