"""The import contract: each layer imports only itself and the layers below it.

    cli -> api -> {report, evaluate, experiments} -> check -> verify -> retrieval
        -> corpus (store, ingest, sources, parsing) -> core (types, errors, settings, ...)

Imports under ``if TYPE_CHECKING:`` are annotations only and do not count. The CLI may use
only the API and the core records (no wiring of stores, retrievers, checkers or scorers),
and the three applications above the checker do not import one another."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LAYERS = [
    ("cli", ("synth.cli",)),
    ("api", ("synth.api",)),
    ("applications", ("synth.report", "synth.evaluate", "experiments")),
    ("check", ("synth.check",)),
    ("verify", ("synth.verify",)),
    ("retrieval", ("synth.retrieval",)),
    ("corpus", ("synth.corpus",)),
    ("core", ("synth.core",)),
]
CLI_MAY_USE = ("synth.cli", "synth.api", "synth.core")


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _layer(module: str) -> tuple[int, str] | None:
    for rank, (_, packages) in enumerate(LAYERS):
        for package in packages:
            if _under(module, package):
                return rank, package
    return None


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import that runs, skipping ``if TYPE_CHECKING:`` blocks."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _modules() -> list[tuple[str, Path]]:
    files = sorted((REPO / "synth").rglob("*.py")) + sorted((REPO / "experiments").rglob("*.py"))
    out = []
    for path in files:
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name != "synth":  # the package facade: lazy re-exports of the API
            out.append((name, path))
    return out


def _violations() -> list[str]:
    problems = []
    for name, path in _modules():
        own = _layer(name)
        assert own is not None, f"{name} belongs to no layer: add it to LAYERS"
        for line, imported in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            other = _layer(imported)
            if other is None:
                continue
            where = f"{path.relative_to(REPO)}:{line} imports {imported}"
            if own[1] == "synth.cli" and not any(_under(imported, p) for p in CLI_MAY_USE):
                problems.append(f"{where} (the CLI goes through synth.api)")
            elif other[0] < own[0]:
                problems.append(f"{where} (a higher layer: {LAYERS[other[0]][0]})")
            elif other[0] == own[0] and other[1] != own[1]:
                problems.append(f"{where} (a peer application)")
    return problems


def test_every_module_imports_only_its_own_layer_and_those_below() -> None:
    assert _violations() == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from synth.api import open", []),
        ("if TYPE_CHECKING:\n    from synth.corpus.store import Store", []),
        ("def f():\n    from synth.corpus.store import Store", [(2, "synth.corpus.store")]),
    ],
)
def test_the_walker_sees_lazy_imports_and_skips_annotations(
    source: str, expected: list[tuple[int, str]]
) -> None:
    found = [i for i in _imports(ast.parse(source)) if i[1].startswith("synth.corpus")]
    assert found == expected
