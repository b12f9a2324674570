"""Pausing the cyclic garbage collector around allocation-heavy, cycle-free work.

A ten-year report builds tens of thousands of short-lived immutable records (tuples, frozen
dataclasses, dates) that reference counting frees on its own. Their allocations trigger the
cyclic collector again and again, and each older-generation pass scans the whole heap of the
application (SQLAlchemy, Flask, marshmallow...): measured at about a third of a report's time
(bench/bench_report.py). Pausing it for the duration of such work and collecting nothing
sooner is safe: nothing is leaked, collection resumes afterwards.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic GC inside the block (re-enabled afterwards if it was enabled)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
