"""The shared runs' plumbing (session_runs.py): results handed from the controlling process
to the workers through files, failures included, and never a wait without end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import session_runs
from conftest import chapter_notebooks


@pytest.mark.parametrize("name", ["result.json", "result.pickle"])
def test_a_result_or_the_error_raised_reaches_the_reader(tmp_path, name):
    session_runs.write_result(tmp_path / name, lambda: {"returncode": 0, "log": "fine"})
    assert session_runs.wait_for(tmp_path / name) == {"ok": {"returncode": 0, "log": "fine"}}

    def fails():
        raise RuntimeError("Chromium crashed")

    session_runs.write_result(tmp_path / name, fails)
    assert session_runs.wait_for(tmp_path / name) == {"error": "RuntimeError: Chromium crashed"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [name], "a partial file was left"


def test_waiting_for_what_never_comes_ends_with_a_message(tmp_path, monkeypatch):
    monkeypatch.setattr(session_runs, "WAIT_SECONDS", 0.5)
    result = session_runs.wait_for(tmp_path / "build.json")
    assert result == {"error": f"nothing at {tmp_path / 'build.json'} after 0.5 s"}


def test_a_failed_build_still_answers_every_waiting_fixture(tmp_path, monkeypatch):
    """The build fails: its log reaches the build's fixture, the PDFs' fixture is told why
    there are none, and every student run still reports (no worker waits in vain)."""
    monkeypatch.setenv(session_runs.SESSION_VARIABLE, "restored after the test")
    monkeypatch.setattr(session_runs, "WAIT_SECONDS", 10)     # a regression fails, not hangs
    monkeypatch.setattr(session_runs, "strict_build",
                        lambda: {"returncode": 2, "log": "WARNING: a cell wrote to stderr"})
    monkeypatch.setattr(session_runs, "run_student_edition",
                        lambda path: None if "01-" in path.name else f"{path.name} raised")
    threads = session_runs.start(tmp_path / "session")
    for thread in threads:
        thread.join(timeout=60)
    folder = tmp_path / "session"
    assert session_runs.shared_folder() == folder
    assert session_runs.wait_for(folder / "build.json")["ok"]["returncode"] == 2
    assert session_runs.wait_for(folder / "pdfs.pickle") == {
        "error": "RuntimeError: no PDF: the strict build failed"}
    students = [Path(p) for p in json.loads((folder / "student.json").read_text())]
    assert [p.stem for p in students] == [p.stem for p in chapter_notebooks()]
    for path in students:
        expected = None if "01-" in path.name else f"{path.name} raised"
        assert session_runs.wait_for(folder / f"student-{path.stem}.json") == {"ok": expected}
