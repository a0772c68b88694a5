"""What the tests share: where the book is, its table of contents, and one strict build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
sys.path.insert(0, str(BOOK))  # so tests import the book's modules as the chapters do

# Imported from the script the README tells readers to run, so the tests build the
# book exactly as a reader does.
sys.path.insert(0, str(ROOT))
from editions import chapter_notebooks, is_notebook, source_path, toc_files  # noqa: E402,F401
from tasks import STRICT_BUILD_OPTIONS, forget_stale_execution_cache  # noqa: E402


def jupyter_book_build(source: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run the book's strict build on ``source``; return the finished process."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    args = [str(jupyter_book), "build", str(source), *STRICT_BUILD_OPTIONS]
    return subprocess.run(args, cwd=source, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The website, built once per test session with warnings as errors."""
    forget_stale_execution_cache()
    result = jupyter_book_build(ROOT)
    if result.returncode != 0:
        pytest.fail("the book's strict build failed:\n"
                    + (result.stdout + result.stderr)[-6000:], pytrace=False)
    return ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def editions(tmp_path_factory) -> dict[str, list[Path]]:
    """The student and teacher editions, written once per test session."""
    from editions import write_editions

    return write_editions(tmp_path_factory.mktemp("editions"))


@pytest.fixture(scope="session")
def student_runs(built_site, editions) -> dict[str, "nbformat.NotebookNode"]:
    """Every chapter's student edition, executed once in a fresh kernel; by chapter stem.

    One execution serves two purposes: the chapter tests compare its glued numbers and
    its stderr with the build's own run, and the edition tests check that every exercise
    says "not solved yet". The runs go two at a time, after the build, so they do not
    slow the build whose run times the chapter tests check.
    """
    import concurrent.futures
    import os

    import nbformat

    def execute(path: Path):
        output = path.with_name(f"{path.stem}.executed.ipynb")
        result = subprocess.run(
            [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
             "--ExecutePreprocessor.timeout=120", "--output", output.name, str(path)],
            cwd=path.parent, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            return path.stem, f"{path.name} failed in a fresh kernel:\n{result.stderr[-4000:]}"
        return path.stem, nbformat.read(output, 4)

    workers = max(1, min(2, os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return dict(pool.map(execute, editions["student"]))


@pytest.fixture(scope="session")
def build_run_seconds(built_site) -> dict[str, float]:
    """How long the build's own execution of each chapter took (from its cache), by stem."""
    from jupyter_cache import get_cache

    import jupytext

    cache = get_cache(str(ROOT / "_build" / ".jupyter_cache"))
    seconds = {}
    for chapter in chapter_notebooks():
        record = cache.match_cache_notebook(jupytext.read(chapter))  # this text's own run
        seconds[chapter.stem] = record.data["execution_seconds"]
    return seconds
