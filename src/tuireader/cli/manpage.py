"""A man page (roff) made from the argument parser: `tuireader manpage > ~/.local/share/man/man1/tuireader.1`."""

from __future__ import annotations

import argparse
import datetime as _dt


def _roff(text: str) -> str:
    """Text safe in roff: backslashes doubled, lines never starting with a control character."""
    out = text.replace("\\", "\\\\").replace("-", "\\-")
    return "\n".join(("\\&" + line) if line[:1] in {".", "'"} else line for line in out.splitlines())


def _options(parser: argparse.ArgumentParser) -> list[str]:
    lines: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        names = ", ".join(action.option_strings) or action.metavar or action.dest
        if action.option_strings and action.nargs != 0:
            names += f" {action.metavar or action.dest.upper()}"
        lines += [".TP", f"\\fB{_roff(str(names))}\\fR", _roff(action.help or "")]
    return lines


def manpage(parser: argparse.ArgumentParser, version: str) -> str:
    today = _dt.date.today().isoformat()
    lines = [
        f'.TH TUIREADER 1 "{today}" "tuireader {version}" "User Commands"',
        ".SH NAME",
        "tuireader \\- " + _roff(parser.description or ""),
        ".SH SYNOPSIS",
        "\\fBtuireader\\fR [\\fIOPTIONS\\fR] [\\fICOMMAND\\fR] ...",
        ".SH OPTIONS",
        *_options(parser),
        ".SH COMMANDS",
    ]
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {a.dest: a.help for a in action._choices_actions}
        for name, sub in action.choices.items():
            lines += [".SS " + _roff(f"tuireader {name}"), _roff(sub.description or helps.get(name) or "")]
            lines += _options(sub)
            for inner in sub._actions:
                if isinstance(inner, argparse._SubParsersAction):
                    inner_helps = {a.dest: a.help for a in inner._choices_actions}
                    for sub_name, subsub in inner.choices.items():
                        lines += [".SS " + _roff(f"tuireader {name} {sub_name}"), _roff(inner_helps.get(sub_name) or "")]
                        lines += _options(subsub)
    if parser.epilog:
        lines += [".SH EXIT STATUS AND EXAMPLES", _roff(parser.epilog)]
    return "\n".join(lines) + "\n"
