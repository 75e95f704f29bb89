"""Fake adapter that answers every request twice (so the handshake works, and the next call fails)."""

from _fake import answer_correctly, log, requests

for request in requests():
    log(f"answering {request['cmd']} twice")
    answer_correctly(request)
    answer_correctly(request)
