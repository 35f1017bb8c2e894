"""Test articles for the store tests: one story told by two outlets (a reworded quote, differing
passenger figures) and one unrelated article."""

from __future__ import annotations

from pathlib import Path

STORY = {
    "harbour.txt": ("Harbour Weekly", "2024-05-13", "Ferry to Skerry Island resumes",
                    "The ferry to Skerry Island resumed on Monday after a storm closed the crossing for four days. "
                    "\u201cWe are relieved the boats are running again,\u201d said the council leader, Maria Olsen. "
                    "About 1,200 passengers a day use the route in summer, the operator said."),
    "coast.txt": ("Coast Radio", "2024-05-14", "Skerry Island ferry crossings restart",
                  "Ferry crossings to Skerry Island restarted on Monday, four days after the storm shut them. "
                  "\u201cWe are so relieved that the boats are running again,\u201d council leader Maria Olsen said. "
                  "Roughly 1,500 passengers travel the route each summer day, the operator said."),
    "valley.txt": ("Valley Times", "2024-10-02", "Orchard reports record apple harvest",
                   "The orchard cooperative reported a record apple harvest this autumn in the valley. "
                   "Growers credited a warm spring and fewer late frosts for the crop of apples."),
}  # fmt: skip


def write_story(root: Path, names=STORY) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for name in names:
        outlet, published, title, body = STORY[name]
        text = f"---\ntitle: {title}\noutlet: {outlet}\npublished: {published}\n---\n" + (body + "\n\n") * 3
        (root / name).write_text(text, encoding="utf-8")
