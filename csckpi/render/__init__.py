"""Rendering: the only part of csckpi that formats for people or files.

``outputs`` lists every output family's formats (``formats``: the registry and ``emit``);
``tables`` writes rows as CSV/TSV/JSON/Markdown; ``terminal`` builds rich output; the other
modules render one kind of result (scorecard, comparison, narrative, report).
"""
