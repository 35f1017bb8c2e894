"""Feeds: the formats (RSS/Atom, JSON Feed) and the refresh that brings their entries in."""
