"""tuireader: a terminal news reader for comparing how different outlets tell the same story."""

__version__ = "0.1.0"
