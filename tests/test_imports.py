"""The package layering: no import cycle among the modules of indexer/ and assistant/, and the
indexer (the write path) imports the assistant (the read path) only for the matcher's word model."""

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


# The one way back, known and kept narrow: the build stores the matcher's word model per fact
# (assistant.lexicon), so that answering reads it instead of re-deriving it. Moving stem/root and
# make_entry into a shared module (issue #15) removes it.
BUILD_READS_MATCHER = {"assistant.lexicon"}


def test_the_indexer_imports_the_assistant_only_for_the_matchers_word_model():
    back = set()
    for path in (ROOT / "indexer").glob("*.py"):  # every import, lazy ones inside functions too
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("assistant"):
                back.add(node.module)
            elif isinstance(node, ast.Import):
                back |= {a.name for a in node.names if a.name.startswith("assistant")}
    assert back <= BUILD_READS_MATCHER, back - BUILD_READS_MATCHER
