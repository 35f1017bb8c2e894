"""HTML pages: the story and its metadata through trafilatura.

trafilatura sees the page's structure (tags, links, metadata), so it finds the story far better than
any reading of the page as text could; its output then goes through the same line pass as text scrapes
(captions, bylines, datelines, spam tokens) in trusted mode, where every remaining line is story.
trafilatura is imported here, inside the function, because importing it takes longer than the reader
needs to show its first screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tuireader.model import RawDocument, SourceError

MIN_SENTENCE_WORDS = 6  # a line shorter than this is a label, a link or a heading
MIN_STORY_WORDS = 20  # fewer words in sentences than this: not a story


@dataclass(slots=True)
class HtmlExtract:
    """The story's text (one paragraph a line) and what the page's metadata says."""

    text: str
    hints: dict[str, str] = field(default_factory=dict)


def extract(raw: RawDocument) -> HtmlExtract:
    """Run trafilatura on the page; a page with no story raises SourceError naming the file."""
    import trafilatura  # heavy: lazy on purpose

    try:
        doc = trafilatura.bare_extraction(
            raw.body,
            url=raw.declared.get("url") or None,
            include_comments=False,
            include_tables=False,  # layout tables of old sites would pour their menus into the story
            with_metadata=True,
            deduplicate=False,
            # Dates from the page's metadata only: searching the text guesses from any year it sees.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # noqa: BLE001 - a parser failure on bad HTML is the file's problem
        raise SourceError(f"{raw.path}: unreadable HTML ({exc.__class__.__name__})") from exc
    text = getattr(doc, "text", None) if doc is not None else None
    title = " ".join((getattr(doc, "title", None) or "").split()).lower()
    lines = [ln for ln in (text or "").split("\n") if " ".join(ln.split()).lower() != title or not title]
    # trafilatura falls back to whatever text a page has; a page of link labels holds no story.
    prose = sum(len(ln.split()) for ln in lines if len(ln.split()) >= MIN_SENTENCE_WORDS)
    if prose < MIN_STORY_WORDS:
        raise SourceError(f"{raw.path}: no article text found in the HTML page")
    text = "\n".join(lines)
    hints: dict[str, str] = {}
    for name in ("title", "author", "date", "sitename", "url", "language", "description"):
        value = getattr(doc, name, None)
        if value:
            hints[name] = str(value)
    tags: list[str] = []
    for name in ("tags", "categories"):
        value = getattr(doc, name, None) or []
        if isinstance(value, str):
            value = [v for v in value.split(",")]
        tags.extend(v.strip() for v in value if v and v.strip() and v.strip() not in tags)
    if tags:
        hints["tags"] = "; ".join(tags)
    return HtmlExtract(text=text, hints=hints)
