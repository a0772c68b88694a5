"""Unit tests of book/_ext/live_code.py: the live-code configuration and thebe's files.

The live mode itself (tasks.py serve --live, a cell run in the browser) is tested in
test_browser.py.
"""

from __future__ import annotations

import json
import re
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


def test_npm_failing_says_why(tmp_path, monkeypatch):
    """Offline, `npm pack` fails: the message says that npm could not download thebe, and
    what npm said, not only an exit status."""
    calls = []

    def offline_pack(command, **kwargs):
        calls.append(command)
        return subprocess.CompletedProcess(command, 1, stdout=None, stderr=(
            "npm error code ENOTFOUND\nnpm error network request to "
            "https://registry.npmjs.org/thebe failed\n"))

    monkeypatch.setattr(live_code.shutil, "which", lambda name: "/usr/bin/npm")
    monkeypatch.setattr(live_code.subprocess, "run", offline_pack)
    with pytest.raises(RuntimeError, match=r"npm could not download thebe 0\.9\.3 \(offline"
                                           r".*ENOTFOUND.*registry\.npmjs\.org"):
        live_code.fetch_thebe(tmp_path / "build")
    assert "--silent" not in calls[0]            # npm's own message is kept, not silenced
    assert not live_code.thebe_cache(tmp_path / "build").exists()


def test_the_pages_help_link_leads_to_the_live_code_section():
    """live-code.js links its "no thebe" message to the teachers' page's live-code section."""
    script = (live_code.HERE / "live_code_static" / "live-code.js").read_text()
    target = re.search(r'var HELP = "([^"#]+)\.html#([^"]+)"', script)
    assert target, "live-code.js names no HELP link"
    page = live_code.HERE.parents[1] / f"{target.group(1)}.md"
    headings = [line.lstrip("#").strip() for line in page.read_text().splitlines()
                if line.startswith("## ")]
    anchors = [re.sub(r"[^a-z0-9]+", "-", h.lower()).strip("-") for h in headings]
    assert target.group(2) in anchors, (target.group(2), anchors)


def test_thebe_licence_is_shipped_with_it():
    text = live_code.THEBE_LICENSE.read_text()
    assert "Copyright Executable Books Project" in text and "Redistribution" in text
