"""Help text as the help tests read it: the machine's absolute paths taken out.

The help names the checkout it runs from (`--repo`'s default), so a path such as
/tmp/tmp.1sMcCWYXXS/repo may hold any letters, "XX" among them: the tests that look for
mutmut's "XX" string markers must not read it.
"""

from __future__ import annotations

import re

ABSOLUTE_PATH = re.compile(r"(?<=[\s(])/[^\s;,)]+")


def without_paths(text: str) -> str:
    return ABSOLUTE_PATH.sub("<path>", text)
