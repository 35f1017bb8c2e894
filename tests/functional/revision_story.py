"""A small story for the revision tests: the Harbour Times article stored in three revisions
(230, then 245, then 260 passengers; the third also adds a sentence), beside two other outlets'
versions of the same event (reworded, with their own figures)."""

from __future__ import annotations

from pathlib import Path

FIRST = "20240514_5b903ab4dc6d6d19"
OTHERS = ("20240514_0a1b2c3d4e5f6071", "20240515_8899aabbccddeeff")

HARBOUR = """---
title: Ferry with {n} passengers runs aground in fog
outlet: Harbour Times
published: 2024-05-14
{extra_header}---
A ferry carrying {n} passengers ran aground off the northern coast on Tuesday evening, the coast guard said, and everyone on board was brought ashore by lifeboats before midnight.

The vessel, the Northern Star, had left Port Ellen at six o'clock for its regular crossing to the islands when it struck a sandbank in thick fog, according to the operator's spokeswoman, Ines Moreau.

"The crew did everything right, and nobody was hurt," Moreau said.

Divers will inspect the hull on Wednesday, and the crossing is suspended until the inquiry publishes its first findings.{more}
"""

COAST = """---
title: Northern Star ferry stranded on sandbank, passengers rescued
outlet: Coast Courier
published: 2024-05-14
---
The Northern Star ferry ran aground on a sandbank off the northern coast on Tuesday night with 250 passengers aboard, and lifeboats brought all of them ashore, the coast guard said.

The ferry had left Port Ellen at six for the islands and hit the sandbank in heavy fog, the operator's spokeswoman Ines Moreau said.

"The crew did everything right," Moreau said, adding that no one was injured.

Divers are due to inspect the hull on Wednesday; crossings are suspended until the inquiry reports.
"""

ISLAND = """---
title: Island crossing suspended after Northern Star grounding
outlet: Island Post
published: 2024-05-15
---
Crossings to the islands are suspended after the ferry Northern Star ran aground on a sandbank in fog off the northern coast on Tuesday evening, with 260 passengers on board who were all brought ashore.

The ferry left Port Ellen at six o'clock, said Ines Moreau, spokeswoman for the operator. "Nobody was hurt," she said.

Divers will inspect the hull on Wednesday before the inquiry publishes its first findings.
"""


def harbour(n: int, revision: int = 1, fetched: str = "", more: str = "") -> str:
    extra = ""
    if revision > 1:
        previous = FIRST if revision == 2 else f"{FIRST}-r{revision - 1}"
        extra = f"revision: {revision}\nprevious: {previous}\nfetched: {fetched}\n"
    return HARBOUR.format(n=n, extra_header=extra, more=more)


def write_story(root: Path) -> Path:
    """The library folder with the five files (three revisions, two other outlets)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{FIRST}.txt").write_text(harbour(230), encoding="utf-8")
    (root / f"{FIRST}-r2.txt").write_text(harbour(245, 2, "2024-05-14T22:10:00+00:00"), encoding="utf-8")
    (root / f"{FIRST}-r3.txt").write_text(
        harbour(260, 3, "2024-05-15T07:30:00+00:00",
                " The operator said it would pay for hotel rooms for stranded travellers."),
        encoding="utf-8")  # fmt: skip
    (root / f"{OTHERS[0]}.txt").write_text(COAST, encoding="utf-8")
    (root / f"{OTHERS[1]}.txt").write_text(ISLAND, encoding="utf-8")
    return root
