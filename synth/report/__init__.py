"""Reports: read an existing synthesis report, audit it, write a verified synthesis, and
render either as Markdown, JSON and self-contained HTML."""
