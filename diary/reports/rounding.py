"""Rounding for display: half away from zero, on the decimal a person would read."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_away(x: float | None, places: int = 1) -> float | None:
    """Round `x` to `places` decimals, halves away from zero (2.25 -> 2.3, -2.25 -> -2.3).

    Goes through `str(x)`, the shortest decimal that is the same float, so a value computed
    as 0.15 rounds as the 0.15 it stands for rather than as its binary 0.1499999... .
    Never returns -0.0.
    """
    if x is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(str(x)).quantize(quantum, rounding=ROUND_HALF_UP)
    return float(rounded) + 0.0
