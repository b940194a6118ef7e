"""The apps' dependencies, checked on the code itself: one way between apps, no circle between modules.

The layers are import-linter contracts in pyproject.toml (`lint-imports`, also run by `make lint`).
"""

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "accounts", "estimator", "governance", "courses", "usage", "reports")


def test_the_import_contracts_are_kept():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def circles(graph: grimp.ImportGraph) -> list[frozenset[str]]:
    """Strongly connected groups of modules (Tarjan), each of two modules or more."""
    modules = sorted(m for m in graph.modules if m.split(".")[0] in PACKAGES)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.split(".")[0] not in PACKAGES:
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(frozenset(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_no_circle_between_modules():
    # Imports inside functions count too: a circle broken by a late import is still a circle.
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True, cache_dir=None)
    # A package's __init__ importing its own submodule (portal → portal.celery) is not a circle of modules.
    assert [group for group in circles(graph) if not _package_and_child(group)] == []


def _package_and_child(group: frozenset[str]) -> bool:
    return len(group) == 2 and any(b.startswith(a + ".") for a in group for b in group)
