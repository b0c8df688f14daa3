"""Imports only look down (docs/ARCHITECTURE.md): each package imports only the layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# what each package may import of the project's own packages
ALLOWED = {
    "transforms": set(),
    "sources": {"transforms"},
    "warehouse": {"transforms"},
    "crawler": {"sources", "warehouse", "transforms"},
    "provnews": {"crawler", "sources", "warehouse", "transforms"},
    "dags": {"provnews", "crawler", "sources", "warehouse", "transforms"},
}
PROJECT = set(ALLOWED) | {"replica", "provnews_tools", "bench", "tests"}


def _imports(path: Path) -> set[str]:
    """The project packages a module imports (absolute imports, at any depth of the module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & PROJECT


def test_every_package_imports_only_the_layers_below_it() -> None:
    climbs = [
        f"{path.relative_to(REPO)} imports {name}"
        for package, allowed in ALLOWED.items()
        for path in sorted((REPO / package).rglob("*.py"))
        for name in sorted(_imports(path) - allowed - {package})
    ]
    assert climbs == []


def test_the_check_sees_a_climb(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from provnews.settings import Settings\n    return Settings\n")
    assert _imports(module) == {"provnews"}
