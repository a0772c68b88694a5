"""Unit tests of book/_ext/live_code.py: the live-code configuration and thebe's files.

The live mode itself (tasks.py serve --live, a cell run in the browser) is tested in
test_browser.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
import live_code  # noqa: E402


def configured(text: str):
    prefix = "window.bookLiveCode = "
    line = next(line for line in text.splitlines() if line.startswith(prefix))
    return json.loads(line[len(prefix):].rstrip(";"))


def test_config_names_no_server_by_default():
    assert configured(live_code.config_script(None)) is None


def test_config_names_the_server_given():
    server = configured(live_code.config_script({"url": "https://jupyter.example.edu/user/a/",
                                                 "token": "abc"}))
    assert server == {"url": "https://jupyter.example.edu/user/a", "token": "abc",
                      "kernel": "python3"}


@pytest.mark.parametrize("bad", ["http://127.0.0.1:8888", {"url": "ftp://example.edu"},
                                 {"token": "abc"}, {"url": "javascript:alert(1)"}, 5])
def test_config_rejects_a_bad_server(bad):
    with pytest.raises(ValueError, match="live_code_server"):
        live_code.config_script(bad)


def test_no_thebe_files_means_nothing_installed(tmp_path):
    assert live_code.install_thebe(tmp_path, tmp_path / "html") is False
    assert not (tmp_path / "html").exists()


def test_fetching_thebe_without_npm_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(live_code.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="needs npm"):
        live_code.fetch_thebe(tmp_path)


def test_a_tarball_with_the_wrong_checksum_is_refused(tmp_path, monkeypatch):
    """What npm pack delivers is checked against the pinned sha512 before anything is kept."""
    def fake_pack(command, **kwargs):
        destination = Path(command[command.index("--pack-destination") + 1])
        script = tmp_path / "index.js"
        script.write_text("window.thebe = 'not thebe';")
        with tarfile.open(destination / f"thebe-{live_code.THEBE_VERSION}.tgz", "w:gz") as tar:
            tar.add(script, arcname="package/lib/index.js")
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(live_code.shutil, "which", lambda name: "/usr/bin/npm")
    monkeypatch.setattr(live_code.subprocess, "run", fake_pack)
    with pytest.raises(RuntimeError, match="wrong checksum"):
        live_code.fetch_thebe(tmp_path / "build")
    assert not live_code.thebe_cache(tmp_path / "build").exists()


def test_thebe_licence_is_shipped_with_it():
    text = live_code.THEBE_LICENSE.read_text()
    assert "Copyright Executable Books Project" in text and "Redistribution" in text
