"""Serve the reference implementation over the subprocess adapter protocol (stdin/stdout, JSON lines)."""

import sys

from conformance.adapters.reference.adapter import ReferenceAdapter
from conformance.adapters.serve import serve

if __name__ == "__main__":
    sys.exit(serve(ReferenceAdapter))
