"""The JavaScript value model: Python types, the tagged JSON encoding and its strategies."""

from conformance.values.model import *  # noqa: F403
from conformance.values.model import __all__ as __all__
