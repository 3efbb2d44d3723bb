"""The package layering: no import cycle among the modules of indexer/, assistant/, webchat/ and
vocabulary/ (subpackages included); the shared vocabulary imports none of them; the indexer (the
write path) never imports the assistant (the read path); neither imports the web chat, which the CLI's
`serve` alone starts; and no module outside the store holds SQL."""

from __future__ import annotations

import ast
import re

from tests.conftest import ROOT

PACKAGES = ("indexer", "assistant", "webchat", "vocabulary")


def modules() -> dict[str, object]:
    """Dotted module name -> its file, every package and subpackage (a package is its __init__.py)."""
    out = {}
    for p in PACKAGES:
        for f in (ROOT / p).rglob("*.py"):
            parts = f.relative_to(ROOT).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f
    return out


def all_imports(path) -> set[str]:
    """Every module a file names in an import, lazy ones inside functions too."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found


def module_imports() -> dict[str, set[str]]:
    """Module -> project modules it imports at load time (imports inside functions or under
    `if TYPE_CHECKING:` do not run at load and are left out)."""
    mods = modules()
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
    assert "indexer.facts.words" in graph["indexer.facts.units"] and "webchat.render" in graph["webchat.handlers"]
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_the_shared_vocabulary_imports_no_project_package():
    for name, path in modules().items():
        if name.startswith("vocabulary"):
            project = {m for m in all_imports(path) if m.split(".")[0] in PACKAGES}
            assert all(m.startswith("vocabulary") for m in project), (name, project)


def test_only_the_cli_starts_the_web_chat():
    """The write and read paths never import the web chat (nor the top-level app); `reportqa serve`
    imports it when run."""
    for name, path in modules().items():
        if name.startswith(("indexer", "assistant", "vocabulary")):
            web = {m for m in all_imports(path) if m.split(".")[0] in ("webchat", "app")}
            assert web <= ({"webchat.main", "webchat.main.main"} if name == "assistant.cli" else set()), (name, web)


def test_the_indexer_never_imports_the_assistant():
    """The write path stores each fact's matcher entry (indexer/entries.py, indexer/lexicon.py) made with
    the word model both sides share (vocabulary/roots.py, words.py, units.py): nothing of the read path."""
    back = set()
    for path in (ROOT / "indexer").rglob("*.py"):  # every import, lazy ones inside functions too
        back |= {m for m in all_imports(path) if m.split(".")[0] in ("assistant", "webchat", "app")}
    assert not back, back
    assert "vocabulary.roots" in all_imports(ROOT / "indexer" / "entries.py")  # the walk does read imports


# The modules that own the index's SQLite format: the writer, the reader and the postings both use
STORE_MODULES = {"indexer.store", "indexer.reader", "indexer.postings"}
_SQL = re.compile(r"\b(?:SELECT|INSERT|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:TABLE|INDEX|VIRTUAL)|PRAGMA)\b|"
                  r"\.execute(?:many|script)?\(|\bsqlite3\b|\.query\(")


def sql_in(path) -> list[str]:
    """The lines of a file that hold an SQL statement, run one or name sqlite3.

    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "m.py"
    >>> _ = f.write_text('rows = reader.query("SELECT text FROM pages")\\nselected = 1\\n')
    >>> sql_in(f)
    ['rows = reader.query("SELECT text FROM pages")']
    """
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if _SQL.search(ln)]


def test_the_store_owns_every_sql_statement():
    """The assistant, the web chat, the vocabulary, the CLI and the benchmarks read the index through
    `indexer.reader`'s typed methods; no other module writes, runs or hands on SQL."""
    files = {name: path for name, path in modules().items() if name not in STORE_MODULES}
    files |= {f.name: f for f in (ROOT / "bench").rglob("*.py")} | {"app": ROOT / "app.py"}
    found = {name: lines for name, path in files.items() if (lines := sql_in(path))}
    assert not found, found
    assert all(sql_in(modules()[m]) for m in STORE_MODULES)  # the check does see SQL where it is
