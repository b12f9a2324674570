"""The engine stays a pure core: only the standard library and its own modules."""

import ast
import sys
from pathlib import Path

import diary.reports

ENGINE = Path(diary.reports.__file__).parent
ALLOWED_OUTSIDE = {"queries.py"}  # the one module that reads the database


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_engine_modules_import_only_the_standard_library():
    modules = [p for p in ENGINE.rglob("*.py") if p.name not in ALLOWED_OUTSIDE]
    assert len(modules) >= 10
    for path in modules:
        outside = {r for r in _imported_roots(path) if r not in sys.stdlib_module_names}
        assert outside <= {"__future__"}, f"{path.name} imports {outside}"
