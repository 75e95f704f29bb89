"""Fake adapter that writes an error to stderr and exits with code 3 before reading anything."""

import sys

from _fake import log

log("fatal: the fake implementation cannot start")
sys.exit(3)
