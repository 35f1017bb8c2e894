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
