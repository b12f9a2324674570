"""The engine stays a pure core: only the standard library and its own modules.

Scope: every module of ``diary/reports/`` but ``queries.py`` (the one module that reads the
database) and the renderers in ``render/``. The renderers turn a finished report into a
representation and may use the libraries that representation needs (Jinja2 for HTML,
matplotlib for the charts, WeasyPrint for PDF), but nothing of the application: they too take
plain data in and give text or bytes out.
"""

import ast
import sys
from pathlib import Path

import diary.reports

ENGINE = Path(diary.reports.__file__).parent
RENDER = ENGINE / "render"
ALLOWED_OUTSIDE = {"queries.py"}  # the one module that reads the database
RENDER_LIBRARIES = {"jinja2", "markupsafe", "matplotlib", "weasyprint"}


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def _outside(path: Path) -> set[str]:
    return {r for r in _imported_roots(path) if r not in sys.stdlib_module_names} - {"__future__"}


def test_engine_modules_import_only_the_standard_library():
    modules = [p for p in ENGINE.rglob("*.py")
               if p.name not in ALLOWED_OUTSIDE and RENDER not in p.parents]
    assert len(modules) >= 9  # the core: engine, days, periods, cycles, alerts, ...
    for path in modules:
        assert not _outside(path), f"{path.name} imports {_outside(path)}"


def test_renderers_import_only_their_libraries_and_nothing_of_the_app():
    modules = list(RENDER.glob("*.py"))
    assert {p.name for p in modules} >= {"json.py", "csv.py", "charts.py", "html.py", "pdf.py"}
    for path in modules:
        assert _outside(path) <= RENDER_LIBRARIES, f"{path.name} imports {_outside(path)}"
    for path in (RENDER / "json.py", RENDER / "csv.py"):
        assert not _outside(path), f"{path.name} imports {_outside(path)}"
