"""Property tests (Hypothesis): bounded, so the fast loop stays fast; no example database
is written into the checkout. CHECKIN_FUZZ_EXAMPLES=500 runs them longer, by hand."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "checkin",
    max_examples=int(os.environ.get("CHECKIN_FUZZ_EXAMPLES", "40")),
    deadline=None,  # a busy machine must not turn a slow example into a failure
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("checkin")
