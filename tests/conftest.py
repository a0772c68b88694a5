"""What the tests share: where the book is, its table of contents, and one strict build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
sys.path.insert(0, str(BOOK))  # so tests import the chapters' helper module as they do

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
