"""The last stage of the data flow: test outcomes become a report, and the files rendered from it.

``collector`` gathers a run's outcomes (``failures`` reads what failing tests
printed) into a ``report.Report``, report.json, the source of truth; ``tally`` sums
them up per clause and area; ``baseline`` judges them against known failures;
``junit``, ``html`` and ``markdown`` render a report and ``outputs`` writes them all
(into a folder no implementation name can move elsewhere);
``compare`` puts several reports side by side; ``progress`` draws the live progress line.
"""
