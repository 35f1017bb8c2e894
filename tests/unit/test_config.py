"""config.toml: read over the defaults, every mistake named and survived."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuireader.cli import main
from tuireader.config import load_config
from tuireader.locations import config_file


def write(text: str) -> Path:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_the_defaults() -> None:
    config = load_config()
    assert config.path is None and config.problems == () and config.given == frozenset()
    assert (config.library, config.theme, config.refresh.pages, config.refresh.concurrency) == (None, None, True, 16)


def test_settings_are_read_and_mistakes_named(tmp_path: Path) -> None:
    write(f'library = "{tmp_path}/news"\ntheme = "gruvbox"\nbrowser = 3\ncolour = "red"\n'
          "[refresh]\npages = false\nconcurrency = 0\nread_timeout = 5\n")  # fmt: skip
    config = load_config()
    assert config.library == tmp_path / "news" and config.theme == "gruvbox"
    assert config.browser is None  # a number is no browser: the default stays
    assert config.refresh.pages is False and config.refresh.read_timeout == 5.0
    assert config.refresh.concurrency == 16
    assert config.problems == (
        "browser = 3 is not a text (the default is used)",
        "unknown setting 'colour' (ignored)",
        "refresh.concurrency = 0 is not a whole number above 0 (the default is used)",
    )
    assert dict((name, source) for name, _v, source in config.items())["refresh.pages"] == "config.toml"


def test_a_broken_file_leaves_the_defaults_in_force() -> None:
    path = write("theme = \n")
    config = load_config()
    assert config.path == path and config.theme is None
    assert len(config.problems) == 1 and config.problems[0].startswith("not valid TOML")


def test_config_verb_shows_where_the_file_is_and_what_is_in_force(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:  # fmt: skip
    assert main(["config", "--json", "--library", str(tmp_path)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["paths"]["config_file"] == str(config_file())
    assert shown["settings"]["theme"] == {"value": None, "from": "default"}
    write('theme = "nord"\n[refresh]\nbogus = 1\n')
    assert main(["config", "--library", str(tmp_path)]) == 1  # a setting it does not know: exit 1
    out, err = capsys.readouterr()
    assert str(config_file()) in out and "nord" in out and "config.toml" in out
    assert err.strip() == f"error: {config_file()}: unknown setting 'refresh.bogus' (ignored)"


def test_the_configured_library_is_the_default_one(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    news = tmp_path / "news"
    news.mkdir()
    (news / "one.txt").write_text("Title: Ferry\n\n" + "The ferry sailed at noon with forty cars aboard. " * 10)
    write(f'library = "{news}"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["list", "--json", "--cache-dir", str(tmp_path / "cache")]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["one"]


def test_the_store_table_names_a_shared_archive(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tuireader.library import Library

    write('[store]\nurl = "postgresql://reader@archive.example/news"\n')
    config = load_config()
    assert config.store.url == "postgresql://reader@archive.example/news" and config.problems == ()
    assert dict((name, source) for name, _v, source in config.items())["store.url"] == "config.toml"
    lib = Library(tmp_path, tmp_path / "cache")  # nothing is opened until needed
    assert lib.shared and lib.stores.url == "postgresql://reader@archive.example/news"
    assert not lib.stores.worker  # a plain Library on a shared archive only reads it
    monkeypatch.setenv("TUIREADER_STORE", "postgresql://other@elsewhere/db")
    assert Library(tmp_path, tmp_path / "cache").stores.url == "postgresql://other@elsewhere/db"
    monkeypatch.delenv("TUIREADER_STORE")
    write('[store]\nurl = "mysql://nope"\n')
    config = load_config()
    assert config.store.url is None
    assert config.problems == ("store.url = 'mysql://nope' is not a postgresql:// address (the local store is used)",)
    assert not Library(tmp_path, tmp_path / "cache", config=config).shared


def test_a_store_that_is_no_postgresql_address_is_a_usage_error(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        main(["list", "--library", str(tmp_path), "--store", "sqlite:///x.db"])
    assert exit_.value.code == 2 and "not a postgresql:// address" in capsys.readouterr().err


def test_saved_views_and_the_readers_refresh_timer() -> None:
    write('[refresh]\non_start = true\nevery_minutes = 30\n\n'
          '[views.morning]\noutlet = ["harbor", "coast daily"]\nunread = true\nmin_outlets = 2\n\n'
          '[views.feeds]\nfeed = "harbor.example"\nsince = "2026-11"\nwords = "ferry"\n\n'
          '[views.typo]\noutlett = "harbor"\n\n[views.baddate]\nsince = "last week"\n')
    config = load_config()
    assert config.refresh.on_start is True and config.refresh.every_minutes == 30.0
    assert dict(config.views) == {"morning": 'outlet:harbor outlet:"coast daily" unread outlets:2',
                                  "feeds": "feed:harbor.example since:2026-11 ferry"}
    # A view with a mistake is named and left out whole (half a view would show the wrong list).
    assert any("views.typo.outlett" in p for p in config.problems)
    assert any("views.baddate.since" in p for p in config.problems)
    assert ("views.morning", dict(config.views)["morning"], "config.toml") in config.items()


def test_the_refresh_timer_is_off_by_default() -> None:
    config = load_config()
    assert config.refresh.on_start is False and config.refresh.every_minutes == 0.0 and config.views == ()
