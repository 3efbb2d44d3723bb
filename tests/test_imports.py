"""The package layering: no import cycle among the modules of indexer/ and assistant/, and the
indexer (the write path) never imports the assistant (the read path)."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

PACKAGES = ("indexer", "assistant")


def module_imports() -> dict[str, set[str]]:
    """Module -> project modules it imports at load time (imports inside functions or under
    `if TYPE_CHECKING:` do not run at load and are left out)."""
    mods = {f"{p}.{f.stem}": f for p in PACKAGES for f in (ROOT / p).glob("*.py") if f.stem != "__init__"}
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        deps: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            for sub in ast.walk(node) if isinstance(node, (ast.Import, ast.ImportFrom, ast.If, ast.Try)) else ():
                if isinstance(sub, ast.ImportFrom) and sub.module:
                    deps |= {f"{sub.module}.{a.name}" if f"{sub.module}.{a.name}" in mods else sub.module
                             for a in sub.names}
                elif isinstance(sub, ast.Import):
                    deps |= {a.name for a in sub.names}
        graph[name] = {d for d in deps if d in mods and d != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path, or None.

    >>> find_cycle({"a": {"b"}, "b": {"a"}})
    ['a', 'b', 'a']
    >>> find_cycle({"a": {"b"}, "b": set()}) is None
    True
    """
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt]
            if nxt not in state and (found := visit(nxt, path + [nxt])):
                return found
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_no_import_cycle():
    graph = module_imports()
    assert "assistant.match" in graph["assistant.compose"] and "indexer.store" in graph["assistant.engine"]
    assert find_cycle(module_imports()) is None, " -> ".join(find_cycle(module_imports()))


def test_the_indexer_does_not_import_the_assistant():
    graph = module_imports()
    assert not [(m, d) for m, ds in graph.items() if m.startswith("indexer.") for d in ds if d.startswith("assistant.")]
