"""Representations of a report: JSON-ready dicts and CSV, rounded for display."""

from .csv import report_to_csv
from .json import report_to_dict

__all__ = ["report_to_csv", "report_to_dict"]
