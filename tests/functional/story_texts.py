"""Test articles of our own: versions of one story by several outlets, with differing figures."""

from __future__ import annotations

FERRY = """---
outlet: {outlet}
url: https://{host}/ferry-strike
published: 2026-11-30
---
Ferry workers strike over pay in Port Alder

Ferry crews in Port Alder walked off the job on Monday, stranding {count} commuters, after talks over
pay broke down late on Sunday.

"We have been patient for two years and patience does not pay the rent," said union leader Maria
Okafor outside the terminal.

The operator said it had offered a raise of 6 percent and called the strike disappointing.
"""


def ferry(outlet: str, host: str, count: str) -> str:
    return FERRY.format(outlet=outlet, host=host, count=count)


def one_version_story(i: int, outlet: str, published: str) -> str:
    """An article of its own story (made-up names, seeded by `i`, so no two are alike)."""
    import random

    rng = random.Random(i)
    syllables = ["ka", "ri", "mo", "ten", "bar", "vel", "dor", "li", "sa", "ne", "ro", "gu", "mi", "tu", "hal"]

    def words(n: int) -> list[str]:
        return ["".join(rng.choice(syllables) for _ in range(3)) for _ in range(n)]

    names = [w.capitalize() for w in words(6)]
    body = " ".join(f"{names[k % 6]} {w}." for k, w in enumerate(words(60)))
    return (f"---\noutlet: {outlet}\npublished: {published}\n---\n"
            f"{names[0]} and {names[1]} in {names[2]} ({i})\n\n{body}\n")
