"""The built-in reference implementation behind the adapter seam.

``adapter.ReferenceAdapter`` runs scenarios in-process; ``python -m
conformance.adapters.reference`` serves the same adapter over the subprocess
protocol, as any other language would.  This package's ``__init__`` stays empty:
every renderer imports ``page_program`` from it.
"""
