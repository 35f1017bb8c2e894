"""Refusing XML whose DTD could expand entities (billion laughs, quadratic blow-up) or reach out.

feedparser strips nested entity declarations and expat has an amplification limit, but a document
that tries this is hostile or broken and the user should hear so rather than read "&lol9;" as a
title. Feeds and OPML files both pass through here before any parser sees them.
"""

from __future__ import annotations

import re
from typing import Any

from tuireader.sources.base import FeedError

MAX_ENTITY_VALUE = 1024  # legitimate feed entities are a character or a word


class _Unsafe(Exception):
    pass


class _PrologDone(Exception):
    pass


def check_entities(data: bytes) -> None:
    """Raise FeedError if the document's DTD declares entities that could expand or reach out.

    expat reads only the prolog (it stops at the root element), so quoting inside the DTD is
    handled exactly; no entity is ever expanded here. Refused: parameter and external entities,
    entities whose value refers to another entity, and values over 1 KiB.
    """
    if (
        b"<!ENTITY" not in data
        and b"<\x00!\x00E\x00N\x00T" not in data
        and b"\x00<\x00!\x00E\x00N" not in data
    ):
        return
    import xml.parsers.expat as expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def on_entity(
        name: str, is_pe: int, value: str | None, base: Any, system_id: Any, public_id: Any, notation: Any
    ) -> None:
        if is_pe:
            raise _Unsafe(f"declares parameter entity %{name}")
        if system_id or public_id:
            raise _Unsafe(f"declares external entity &{name}; ({system_id or public_id})")
        if value is not None and "&" in value:
            raise _Unsafe(f"declares nested entity &{name}; (an entity expansion attack)")
        if value is not None and len(value) > MAX_ENTITY_VALUE:
            raise _Unsafe(f"declares entity &{name}; of {len(value)} characters (an entity expansion attack)")

    def on_start(*_args: Any) -> None:
        raise _PrologDone

    parser.EntityDeclHandler = on_entity
    parser.StartElementHandler = on_start
    try:
        parser.Parse(data, True)
    except _PrologDone:
        return
    except _Unsafe as exc:
        raise FeedError(f"refused: the feed's DTD {exc}") from None
    except expat.ExpatError:
        # Not well-formed before the root element: feedparser's loose parser will read it, and that
        # parser only knows the entities feedparser deems safe. Still refuse an obvious attack.
        if re.search(rb"<!ENTITY\s[^>]*(&|SYSTEM|PUBLIC)", data[: 1024 * 1024]):
            raise FeedError("refused: the feed's DTD declares nested or external entities") from None
