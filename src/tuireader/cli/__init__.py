"""The command line: `tuireader` and its verbs. It asks the Library and imports no core internals."""

from tuireader.cli.main import main

__all__ = ["main"]
