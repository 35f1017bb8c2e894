"""The command line as a good citizen: completion scripts, one-line internal errors, a debug log."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tuireader.cli import main

ARTICLES = Path(__file__).resolve().parents[2] / "articles"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_bash_completion_script_completes_commands_and_options(tmp_path, capsys):
    assert main(["completion", "bash"]) == 0
    script = tmp_path / "tr.bash"
    script.write_text(capsys.readouterr().out)

    def complete(*words: str) -> list[str]:
        line = " ".join(f"'{w}'" for w in ("tuireader", *words))
        probe = f'source {script}; COMP_WORDS=({line}); COMP_CWORD={len(words)}; _tuireader; echo "${{COMPREPLY[@]}}"'
        return subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True).stdout.split()

    assert complete("fe") == ["feeds"]
    assert set(complete("feeds", "")) >= {"add", "remove", "list", "import", "export"}
    assert complete("search", "--ou") == ["--outlet"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_name_every_command(shell, capsys):
    assert main(["completion", shell]) == 0
    out = capsys.readouterr().out
    for command in ("list", "show", "revisions", "stories", "search", "ingest", "feeds", "refresh", "config"):
        assert command in out


def test_an_internal_error_is_one_line_naming_the_log_and_debug_shows_the_traceback(
    tmp_path, capsys, monkeypatch
):
    from tuireader.library import Library

    def broken(self, *args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Library, "scan", broken)
    argv = ["--library", str(ARTICLES), "--cache-dir", str(tmp_path / "c"), "list"]
    assert main(argv) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "internal error (RuntimeError: disk on fire)" in line and "tuireader.log" in line
    log = Path(line.rsplit("details in ", 1)[1])
    assert "Traceback" in log.read_text() and "disk on fire" in log.read_text()
    with pytest.raises(RuntimeError, match="disk on fire"):
        main(["--debug", *argv])


def test_the_manual_page_names_every_command_and_renders(tmp_path, capsys):
    assert main(["manpage"]) == 0
    page = capsys.readouterr().out
    assert page.startswith(".TH TUIREADER 1")
    for command in ("list", "show", "revisions", "stories", "search", "ingest", "analyze", "feeds add", "refresh", "config"):
        assert f".SS tuireader {command}" in page
    if shutil.which("groff"):
        out = subprocess.run(["groff", "-man", "-Tutf8"], input=page, capture_output=True, text=True)
        assert out.returncode == 0 and "warning" not in out.stderr.lower()
