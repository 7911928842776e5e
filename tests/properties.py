"""How many examples a property test draws, by Hypothesis profile (tests/conftest.py).

``examples(n)`` is ``n`` under ``ci`` (the default: the README's test command and .ci/run)
and ten times ``n`` under ``thorough`` (HYPOTHESIS_PROFILE=thorough), for a change to what a
property guards. Each test's ``n`` is said beside it: enough that, on the frequencies
``--hypothesis-show-statistics`` reports, each case the test was written to reach turns up in
a CI run but for a chance given there.
"""

from __future__ import annotations

import os

THOROUGH = 10


def examples(ci: int) -> int:
    """``ci`` examples, or ten times as many under the ``thorough`` profile."""
    return ci * (THOROUGH if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 1)
