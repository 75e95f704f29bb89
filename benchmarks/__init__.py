"""Benchmarks of the reference implementation, the adapters and the suite, against baselines of the same run.

``python -m benchmarks`` (see ``__main__``). Modules, one per measurement:
``raw_pipe`` (the baselines: JSON lines over a pipe), ``reference_ipc``
(``sendSync`` and ``send`` of the reference implementation), ``startup`` (pages and
adapters), ``strategies`` (Hypothesis data generation), ``adapters`` (scenarios per
second), ``suite`` (full runs); ``harness`` summarises, ``report`` writes, and
``oracle_adapter`` is the in-memory adapter the suite's cost is measured against.
Renderer processes import ``benchmarks.pages``, so this package imports nothing.
"""
