"""csckpi: children's services performance indicators, from workbook to report.

The package is a library first: ``csckpi.workbook`` reads a performance workbook,
``csckpi.store`` keeps what was reported when, ``csckpi.compute`` works out every
indicator for a period, ``csckpi.compare`` and ``csckpi.narrate`` say how it is doing,
and ``csckpi.render`` writes tables and reports. ``csckpi.cli`` is a thin Typer shell
over them.
"""

__version__ = "0.1.0"
