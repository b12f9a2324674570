"""The report as PDF: the HTML page printed by WeasyPrint, fetching nothing.

Everything the page needs is inline (CSS, SVG charts), so the URL fetcher refuses every URL:
a URL in patient text, or a mistake in the template, can never make the server read a file
or call the network. No base URL, so nothing relative resolves either.
"""

from __future__ import annotations

from weasyprint import HTML
from weasyprint.urls import URLFetcher

from ..engine import Report
from .html import report_to_html


class NoFetching(URLFetcher):
    """A WeasyPrint URL fetcher that fetches nothing (WeasyPrint logs and skips the URL)."""

    def fetch(self, url, headers=None):
        raise ValueError(f"the report fetches no URL ({url[:60]!r})")


def html_to_pdf(html: str) -> bytes:
    """Print `html` to PDF bytes (A4, as the page's CSS says; the title from its `<title>`)."""
    document = HTML(string=html, base_url=None, url_fetcher=NoFetching()).render()
    # No dates: the same report gives the same bytes.
    document.metadata.created = document.metadata.modified = None
    return document.write_pdf()


def report_to_pdf(report: Report) -> bytes:
    """The report's HTML page as a PDF document."""
    return html_to_pdf(report_to_html(report))
