"""The layout's own rules: no import cycle, files that fit in a head, a bot/ of packages.

The import graph is grimp's (the one import-linter checks its contracts on): it holds
every import statement anywhere in a module, at the top, inside a function or under
``if TYPE_CHECKING:``, so a cycle cannot hide behind a late or type-only import.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

PRODUCT = ("bot", "adapters", "storage")
ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400
MAX_TOP_LEVEL_MODULES = 3
"""Modules directly in bot/ besides ``__init__`` and ``__main__``: the rest are packages."""


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PRODUCT, cache_dir=None)


def test_no_import_cycle(graph: grimp.ImportGraph) -> None:
    cycles = sorted(" -> ".join(cycle) for cycle in _cycles(graph))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_cycle_finder_reports_a_ring_once() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "b", "c"):
        graph.add_module(module)
    graph.add_import(importer="a", imported="b")
    assert list(_cycles(graph)) == []
    graph.add_import(importer="b", imported="c")
    graph.add_import(importer="c", imported="a")
    assert list(_cycles(graph)) == [("a", "b", "c", "a")]


def test_grimp_counts_late_and_type_only_imports(tmp_path: Path) -> None:
    package = tmp_path / "ring"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "top.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from ring import typed\n"
        "def late() -> None:\n"
        "    from ring import inner\n"
    )
    (package / "typed.py").write_text("")
    (package / "inner.py").write_text("")
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(tmp_path))
        found = grimp.build_graph("ring", cache_dir=None)
    assert found.find_modules_directly_imported_by("ring.top") == {"ring.typed", "ring.inner"}


def test_no_product_file_is_too_long() -> None:
    lengths = {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
    }
    too_long = {name: length for name, length in sorted(lengths.items()) if length > MAX_LINES}
    assert not too_long, f"over {MAX_LINES} lines: {too_long}"


def test_bot_top_level_holds_packages() -> None:
    modules = sorted(
        path.name
        for path in (ROOT / "bot").glob("*.py")
        if path.name not in {"__init__.py", "__main__.py"}
    )
    assert len(modules) <= MAX_TOP_LEVEL_MODULES, f"modules directly in bot/: {modules}"


def _cycles(graph: grimp.ImportGraph) -> Iterator[tuple[str, ...]]:
    """A shortest cycle through each import that closes one, each ring of modules once;
    a cycle is written from a module back to itself."""
    rings: set[frozenset[str]] = set()
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None and frozenset(back) not in rings:
                rings.add(frozenset(back))
                yield (importer, *back)
