"""Fake adapter that answers hello, then never reads its stdin again (a large request cannot be written)."""

import time

from _fake import answer_correctly, log, requests

answer_correctly(next(requests()))
log("not reading any more")
time.sleep(3600)
