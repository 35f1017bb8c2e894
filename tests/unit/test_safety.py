from tuireader.safety import printable


def test_neutralises_ansi_osc8_and_osc52_but_keeps_markup_characters():
    hostile = (
        "[@click=app.quit]Click[/] [bold red]x[/]"
        "\x1b[31mred\x1b[0m"
        "\x1b]8;;https://evil.example\x07link\x1b]8;;\x07"
        "\x1b]52;c;ZXZpbA==\x07"
        "\x9b2J"
    )
    out = printable(hostile)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "[@click=app.quit]Click[/]" in out
    assert "[bold red]x[/]" in out
    assert "red" in out and "link" in out
    assert "\u241b]52;c;ZXZpbA==\u2407" in out  # the clipboard request is shown, inert, not obeyed
    assert len(out) == len(hostile)


def test_keeps_text_and_newlines():
    assert printable("Kyiv — “quote”\n\nNext\tcol") == "Kyiv — “quote”\n\nNext col"
    # one character for one: the same offsets hold in the shown text
    raw = "a\x1b]0;evil\x07b\u202ec"
    assert len(printable(raw)) == len(raw) and printable(raw).endswith("b\ufffdc")
    assert printable("a\nb", keep_newlines=False) == "a b"
    assert printable(None) == ""
