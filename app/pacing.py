"""Answers that must not tell, by how long they take, whether an account or a case exists.

"We mail you a link if the address is known" forms (forgotten password, lost public
link) do more work for a known address: a lookup that finds something, rows written, a
mail queued, and, in the embedded mode, the mail sent in-process at commit. Measured:
13-29 ms for a real account against 4-9 ms for an unknown one.

The work is padded to a floor (UNIFORM_RESPONSE_SECONDS), rather than moved into a
job: without Redis, jobs run in-process inside the request, so a job alone hides
nothing there; and even with a queue the two paths still differ by the lookup and the
rows written. The floor sits well above the known path (default 0.5 s; a user asking
for a mail does not notice). If the known path ever takes longer than the floor (a
stalled mail server in the embedded mode), that answer shows: raise the floor.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app


@contextmanager
def uniform_duration() -> Iterator[None]:
    """Make the enclosed work take at least UNIFORM_RESPONSE_SECONDS, whatever it did."""
    deadline = time.monotonic() + current_app.config["UNIFORM_RESPONSE_SECONDS"]
    try:
        yield
    finally:
        time.sleep(max(0.0, deadline - time.monotonic()))
