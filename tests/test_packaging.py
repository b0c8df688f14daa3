"""`pip install provnews` installs the pipeline alone, and every module it ships imports only what it declares.

Both distributions of this repository are read from their pyproject.toml (the packages setuptools finds with
its configuration, the dependencies declared) and every `import` of their modules is checked with `ast`:
each must be the standard library, the distribution's own packages, or a declared dependency (a
meta-distribution that ships no module, such as apache-airflow, declares what it requires). The installed
distributions say which import names each dependency provides."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from pathlib import Path

import pytest
from setuptools import find_namespace_packages, find_packages

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / "tools"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    """The distribution named by a requirement string (`scrapy>=2.13,<2.20`, `apache-airflow[x]; ...`)."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    assert match, f"not a requirement: {spec!r}"
    return _canonical(match.group(1))


@dataclass(frozen=True)
class Project:
    root: Path
    name: str
    dependencies: tuple[str, ...]
    packages: tuple[str, ...]

    @classmethod
    def read(cls, root: Path) -> Project:
        doc = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        find = doc.get("tool", {}).get("setuptools", {}).get("packages", {}).get("find", {})
        finder = find_namespace_packages if find.get("namespaces", True) else find_packages
        where = find.get("where", ["."])
        packages = [p for w in where for p in finder(str(root / w), include=find.get("include", ["*"]),
                                                     exclude=find.get("exclude", []))]
        return cls(root, _canonical(doc["project"]["name"]),
                   tuple(_requirement_name(d) for d in doc["project"].get("dependencies", [])), tuple(packages))

    @property
    def top_level(self) -> set[str]:
        return {p.split(".")[0] for p in self.packages}

    def modules(self) -> Iterator[Path]:
        for package in self.packages:
            yield from sorted((self.root / package.replace(".", "/")).glob("*.py"))


PRODUCT = Project.read(REPO)
PROJECTS = {PRODUCT.name: PRODUCT}
if (TOOLS / "pyproject.toml").exists():
    PROJECTS[_canonical(Project.read(TOOLS).name)] = Project.read(TOOLS)


def imported_names(path: Path) -> Iterator[tuple[str, int]]:
    """(top-level name, line) of every absolute import in the module, wherever it stands in it."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


@cache
def _provided() -> dict[str, set[str]]:
    """Distribution -> the top-level import names it installs (from the installed distributions' records)."""
    by_dist: dict[str, set[str]] = {}
    for name, dists in packages_distributions().items():
        for dist in dists:
            by_dist.setdefault(_canonical(dist), set()).add(name)
    return by_dist


def _unconditional_requirements(dist: str) -> list[str]:
    try:
        requires = distribution(dist).requires or []
    except PackageNotFoundError:
        return []
    return [_requirement_name(r) for r in requires if ";" not in r]


def importable(project: Project) -> set[str]:
    """The top-level names the project may import: its own packages and what its dependencies provide (a
    sibling project of this repo by its pyproject; a meta-distribution by what it requires)."""
    names = set(project.top_level)
    todo, seen = list(project.dependencies), set()
    while todo:
        dist = todo.pop()
        if dist in seen:
            continue
        seen.add(dist)
        if dist in PROJECTS:
            names |= PROJECTS[dist].top_level
            continue
        provided = _provided().get(dist, set())
        names |= provided
        if not provided:  # ships no module of its own: what it requires is what it declares
            todo.extend(_unconditional_requirements(dist))
    return names


def undeclared(project: Project) -> list[str]:
    allowed = importable(project) | set(sys.stdlib_module_names) | {"__future__"}
    return [f"{path.relative_to(REPO)}:{line}: {name}" for path in project.modules()
            for name, line in imported_names(path) if name not in allowed]


def test_the_pipeline_ships_without_the_tools() -> None:
    tools = PROJECTS.get("provnews-tools")
    assert tools is not None, "tools/pyproject.toml: the provnews-tools distribution"
    assert PRODUCT.top_level and not PRODUCT.top_level & tools.top_level
    assert {"provnews", "crawler", "transforms", "warehouse"} <= PRODUCT.top_level
    shipped = {p.relative_to(REPO).as_posix() for p in PRODUCT.modules()}
    assert not {m for m in shipped if re.search(r"(demo|airflow_standalone|replica_sources|synthetic)\.py$", m)}


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_every_import_is_a_declared_dependency(name: str) -> None:
    assert undeclared(PROJECTS[name]) == []
