"""Shell completion scripts, made from the argument parser so they never fall behind it.

`tuireader completion bash` (or zsh, fish) prints a script that completes commands, subcommands
and options; article ids complete as file names are not guessed (ids come from `tuireader list`).
Install with e.g. `tuireader completion bash > ~/.local/share/bash-completion/completions/tuireader`.
"""

from __future__ import annotations

import argparse


def _tree(parser: argparse.ArgumentParser) -> dict[str, tuple[list[str], dict]]:
    """Options of `parser` and, per subcommand, its own tree."""
    options: list[str] = []
    subs: dict[str, tuple[list[str], dict]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                subs[name] = _tree(sub)
        else:
            options.extend(o for o in action.option_strings if o.startswith("--"))
    return options, subs


def _paths(tree: tuple[list[str], dict], prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], list[str]]]:
    """(command path, words that may follow it) for every node of the tree."""
    options, subs = tree
    out = [(prefix, sorted(subs) + sorted(set(options)))]
    for name, sub in subs.items():
        out.extend(_paths(sub, (*prefix, name)))
    return out


def bash(parser: argparse.ArgumentParser) -> str:
    cases = []
    for path, words in _paths(_tree(parser)):
        key = " ".join(path)
        cases.append(f'        "{key}") words="{" ".join(words)}" ;;')
    return "\n".join(
        [
            "# bash completion for tuireader (made by `tuireader completion bash`)",
            "_tuireader() {",
            '    local cur="${COMP_WORDS[COMP_CWORD]}" path="" w words',
            '    for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do',
            '        case "$w" in -*) ;; *) case " $(_tuireader_words "${path# }") " in *" $w "*) path="$path $w" ;; esac ;; esac',
            "    done",
            '    words="$(_tuireader_words "${path# }")"',
            '    COMPREPLY=($(compgen -W "$words" -- "$cur"))',
            '    [ ${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -- "$cur"))',
            "}",
            "_tuireader_words() {",
            '    local words=""',
            '    case "$1" in',
            *cases,
            "    esac",
            '    echo "$words"',
            "}",
            "complete -F _tuireader tuireader",
            "",
        ]
    )


def zsh(parser: argparse.ArgumentParser) -> str:
    return "#compdef tuireader\nautoload -U +X bashcompinit && bashcompinit\n" + bash(parser)


def fish(parser: argparse.ArgumentParser) -> str:
    lines = ["# fish completion for tuireader (made by `tuireader completion fish`)", "complete -c tuireader -f"]
    options, subs = _tree(parser)
    top = " ".join(sorted(subs))
    for name, (sub_options, subsubs) in sorted(subs.items()):
        lines.append(f"complete -c tuireader -n 'not __fish_seen_subcommand_from {top}' -a {name}")
        if subsubs:
            inner = " ".join(sorted(subsubs))
            lines.append(
                f"complete -c tuireader -n '__fish_seen_subcommand_from {name}; "
                f"and not __fish_seen_subcommand_from {inner}' -a '{inner}'"
            )
        for opt in sorted(set(sub_options)):
            lines.append(f"complete -c tuireader -n '__fish_seen_subcommand_from {name}' -l {opt[2:]}")
    for opt in sorted(set(options)):
        lines.append(f"complete -c tuireader -l {opt[2:]}")
    return "\n".join(lines) + "\n"


SHELLS = {"bash": bash, "zsh": zsh, "fish": fish}
