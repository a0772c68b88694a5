"""What the tests share: where the book is, its table of contents, and the slow runs
(session_runs.py): one strict build, the student editions' runs, the PDFs."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
sys.path.insert(0, str(BOOK))  # so tests import the book's modules as the chapters do

# Imported from the script the README tells readers to run, so the tests build the
# book exactly as a reader does.
sys.path.insert(0, str(ROOT))
from editions import chapter_notebooks, is_notebook, source_path, toc_files  # noqa: E402,F401
import session_runs  # noqa: E402
from session_runs import jupyter_book_build  # noqa: E402,F401


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """In a parallel session's controlling process, start the shared runs and wait for the
    build before the workers start (xdist starts them in its own, later, sessionstart)."""
    if session.config.pluginmanager.hasplugin("dsession"):
        say = getattr(session.config.pluginmanager.get_plugin("terminalreporter"), "write_line",
                      print)
        say("The strict build runs first, alone (its chapter times are tested), with the "
            "student editions running beside it; then the workers start.")
        started = time.perf_counter()
        session.config.book_threads = session_runs.start(ROOT / "_build" / "test-session")
        say(f"Build done in {time.perf_counter() - started:.0f} s.")


def pytest_sessionfinish(session):
    """The controlling process waits for its background runs, so none is left orphaned."""
    for thread in getattr(session.config, "book_threads", []):
        thread.join()


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The website, built once per test session with warnings as errors."""
    folder = session_runs.shared_folder()
    result = session_runs.wait_for(folder / "build.json") if folder else {
        "ok": session_runs.strict_build()}
    build = result.get("ok") or {"returncode": "none", "log": result["error"]}
    if build["returncode"] != 0:
        pytest.fail("the book's strict build failed:\n" + build["log"], pytrace=False)
    return ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def editions(tmp_path_factory) -> dict[str, list[Path]]:
    """The student and teacher editions, written once per test session (per worker)."""
    from editions import write_editions

    return write_editions(tmp_path_factory.mktemp("editions"))


class StudentRuns(Mapping):
    """Every chapter's student edition, executed once in a fresh kernel: by chapter stem,
    the executed notebook or what went wrong. Asking for a chapter waits for its run only."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.paths = {Path(p).stem: Path(p)
                      for p in json.loads((folder / "student.json").read_text())}

    def __getitem__(self, stem):
        result = session_runs.wait_for(self.folder / f"student-{stem}.json")
        return session_runs.read_student_run(self.paths[stem], result.get("error") or result["ok"])

    def __iter__(self):
        return iter(self.paths)

    def __len__(self):
        return len(self.paths)


@pytest.fixture(scope="session")
def student_runs(built_site, editions) -> Mapping:
    """Every chapter's student edition, executed once in a fresh kernel; by chapter stem.

    One execution serves two purposes: the chapter tests compare its glued numbers and
    its stderr with the build's own run, and the edition tests check that every exercise
    says "not solved yet". In one process the runs go two at a time, after the build, so
    they do not slow the build whose run times the chapter tests check.
    """
    import concurrent.futures
    import os

    folder = session_runs.shared_folder()
    if folder:
        return StudentRuns(folder)

    def execute(path: Path):
        return path.stem, session_runs.read_student_run(path,
                                                        session_runs.run_student_edition(path))

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
