"""Shared configuration of the project's own tests.

Property tests get no per-example deadline: CI machines are shared and a slow
example is not a failure (speed is measured in benchmarks/, not in tests).
"""

from hypothesis import settings

settings.register_profile("project", deadline=None, print_blob=True)
settings.load_profile("project")
