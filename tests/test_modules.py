"""The book's modules (book/*.py): each one short and about one thing, and each chapter's
header lists exactly the modules it needs, as computed from the code itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jupytext
import pytest

from conftest import BOOK, chapter_notebooks

MAX_LINES = 500
MODULES = sorted(BOOK.glob("*.py"))
HEADER = re.compile(r"^\*\*What it needs:\*\*(.*?)^\*\*", re.MULTILINE | re.DOTALL)
DOWNLOAD = re.compile(r"\{download\}`[^`<]*<([^>`]+)>`")


def imported_modules(source: str) -> set[str]:
    """The top-level names of the modules imported anywhere in ``source``: at the top, and
    inside functions and methods too (a lazy import fails just as surely when it runs)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "the book's modules import each other by name, not relatively"
            found.add(node.module.split(".")[0])
    return found


def book_imports(source: str) -> set[str]:
    """The book's own modules (book/<name>.py) that ``source`` imports."""
    return imported_modules(source) & {module.stem for module in MODULES}


def book_modules_needed(sources: list[str]) -> set[str]:
    """The book's modules that code made of ``sources`` imports, directly or through one
    another, as file names (``network.py``)."""
    needed, waiting = set(), set().union(*map(book_imports, sources))
    while waiting:
        name = waiting.pop()
        if name not in needed:
            needed.add(name)
            waiting |= book_imports((BOOK / f"{name}.py").read_text(encoding="utf-8"))
    return {f"{name}.py" for name in needed}


def code_cells(chapter: Path) -> list[str]:
    return [cell.source for cell in jupytext.read(chapter).cells if cell.cell_type == "code"]


def header_downloads(chapter: Path) -> set[str]:
    """What the chapter's "What it needs" offers as {download} links."""
    header = HEADER.search(chapter.read_text(encoding="utf-8"))
    assert header, f"{chapter.name} has no **What it needs:** in its header"
    return set(DOWNLOAD.findall(header.group(1)))


def test_imports_are_found_everywhere_in_the_code():
    source = ("import numpy as np\nfrom network import forward\n\n"
              "def later():\n    from figures import embedding_plane\n"
              "class Box:\n    def method(self):\n        import measure.sub\n")
    assert imported_modules(source) == {"numpy", "network", "figures", "measure"}
    assert book_modules_needed([source]) >= {"network.py", "figures.py", "measure.py",
                                             "categories.py"}   # network.py imports it


@pytest.mark.parametrize("chapter", chapter_notebooks(), ids=lambda p: p.stem)
def test_the_header_lists_exactly_the_modules_the_chapter_needs(chapter):
    needed = book_modules_needed(code_cells(chapter))
    assert needed, f"{chapter.name} imports none of the book's modules"
    offered = header_downloads(chapter)
    assert offered == needed, (
        f"{chapter.name}'s **What it needs** should offer, as {{download}} links, the book's "
        f"modules it imports directly or through another: missing {sorted(needed - offered)}, "
        f"not needed {sorted(offered - needed)}")
    for target in offered:
        assert (chapter.parent / target).is_file(), f"{chapter.name} offers {target}, which is missing"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_no_module_is_over_500_lines(module):
    lines = len(module.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module.name} has {lines} lines, over {MAX_LINES}: split it"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_every_module_starts_by_saying_what_it_holds(module):
    docstring = ast.get_docstring(ast.parse(module.read_text(encoding="utf-8")))
    assert docstring and "import" in docstring.lower(), \
        f"{module.name} should start with a docstring that says what it holds and imports"


def test_the_modules_import_one_another_without_a_cycle():
    imports = {module.stem: book_imports(module.read_text(encoding="utf-8")) for module in MODULES}
    done, path = set(), []

    def visit(name):
        assert name not in path, f"circular import: {' -> '.join(path[path.index(name):] + [name])}"
        if name in done:
            return
        path.append(name)
        for other in sorted(imports[name]):
            visit(other)
        path.pop()
        done.add(name)

    for name in sorted(imports):
        visit(name)


def test_a_changed_module_drops_the_execution_cache_and_every_doctrees(tmp_path, monkeypatch):
    """tasks.forget_stale_execution_cache, on a copy of the folders it touches: the execution
    cache keys on a chapter's own text, and while Sphinx's doctrees exist it re-reads only
    changed pages, so after a module changes both must go, and only then."""
    import tasks

    monkeypatch.setattr(tasks, "ROOT", tmp_path)
    (tmp_path / "book").mkdir()
    module = tmp_path / "book" / "network.py"
    module.write_text("ONE = 1\n")
    kept = [tmp_path / "_build" / ".jupyter_cache", tmp_path / "_build" / ".doctrees",
            tmp_path / "_build" / "pdf" / "_build" / ".doctrees"]

    def fill():
        for folder in kept:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "saved").write_text("from the old modules")

    def present():
        return [(folder / "saved").exists() for folder in kept]

    fill()
    tasks.forget_stale_execution_cache()             # no stamp yet: nothing can be trusted
    assert present() == [False, False, False]
    assert (tmp_path / "_build" / "book-modules.sha256").is_file()
    fill()
    tasks.forget_stale_execution_cache()             # nothing changed: everything stays
    assert present() == [True, True, True]
    module.write_text("ONE = 2\n")
    tasks.forget_stale_execution_cache()
    assert present() == [False, False, False]
    fill()
    (tmp_path / "book" / "figures.py").write_text("")   # a new module counts as a change
    tasks.forget_stale_execution_cache()
    assert present() == [False, False, False]
