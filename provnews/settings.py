"""The one settings object. Read once from the environment at the edge (CLI, DAG) and passed down."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field

PACKAGE_SOURCES_DIR = Path(__file__).resolve().parent.parent / "crawler" / "sources"


class Settings(BaseModel):
    """Where things live and how loud to be. Every field has an environment variable."""

    warehouse: Path = Field(default=Path("data/warehouse"), description="PROVNEWS_WAREHOUSE")
    sources_dir: Path = Field(default=PACKAGE_SOURCES_DIR, description="PROVNEWS_SOURCES_DIR")
    log_level: str = Field(default="INFO", description="PROVNEWS_LOG_LEVEL")
    log_format: str = Field(default="text", description="PROVNEWS_LOG_FORMAT: text or json")
    # what one archived body may inflate to when a day is transformed, loaded or reprocessed: the archive keeps
    # what the crawler refused too (a gzip bomb); a record over it is quarantined as too-large
    max_decompressed_bytes: int = Field(default=32 * 1024 * 1024, ge=1024,
                                        description="PROVNEWS_MAX_DECOMPRESSED_BYTES: bytes")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        values: dict[str, str] = {}
        for name, fld in cls.model_fields.items():
            var = (fld.description or "").split(":")[0]
            if var and var in env and env[var] != "":
                values[name] = env[var]
        return cls.model_validate(values)
