"""Fake adapter that answers hello, then never reads its stdin again (a large request cannot be written)."""

import json
import sys
import time

from _fake import answer_correctly, log

answer_correctly(json.loads(sys.stdin.buffer.readline()))
log("not reading any more")
time.sleep(3600)
