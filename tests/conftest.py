"""What the tests share: where the book is, its table of contents, and one strict build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from myst_nb.core.read import is_myst_markdown_notebook

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
sys.path.insert(0, str(BOOK))  # so tests import the chapters' helper module as they do

# Imported from the script the README tells readers to run, so the tests build the
# book exactly as a reader does.
sys.path.insert(0, str(ROOT))
from tasks import STRICT_BUILD_OPTIONS, forget_stale_execution_cache  # noqa: E402


def toc_files(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """Every file named in the table of contents, in reading order (root first)."""
    toc = yaml.safe_load(toc_path.read_text())
    found = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                found.append(entry["file"])
            for key in ("chapters", "sections", "parts"):
                walk(entry.get(key))

    walk(toc.get("parts"))
    walk(toc.get("chapters"))
    return found


def source_path(toc_entry: str) -> Path:
    for suffix in (".md", ".ipynb"):
        path = ROOT / f"{toc_entry}{suffix}"
        if path.exists():
            return path
    raise FileNotFoundError(f"_toc.yml names {toc_entry!r}, which has no .md or .ipynb file")


def is_notebook(path: Path) -> bool:
    """Whether MyST-NB reads (and so executes) this file as a notebook."""
    return path.suffix == ".ipynb" or is_myst_markdown_notebook(path.read_text())


def chapter_notebooks() -> list[Path]:
    return [p for p in map(source_path, toc_files()) if is_notebook(p)]


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
