"""`python -m bench`: list the benchmarks; `python -m bench NAME [ARGS]` runs bench/NAME_bench.py."""

from __future__ import annotations

import ast
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks() -> dict[str, str]:
    """name → first line of the script's docstring."""
    out = {}
    for path in sorted(HERE.glob("*_bench.py")):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        out[path.stem.removesuffix("_bench")] = doc.splitlines()[0] if doc else ""
    return out


def main(argv: list[str]) -> int:
    found = benchmarks()
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m bench NAME [ARGS...]   (results go to bench/results/)\n\nbenchmarks:")
        for name, line in found.items():
            print(f"  {name:<12} {line}")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in found:
        print(f"unknown benchmark {name!r}; known: {', '.join(found)}", file=sys.stderr)
        return 2
    sys.argv = [str(HERE / f"{name}_bench.py"), *rest]
    runpy.run_path(sys.argv[0], run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
