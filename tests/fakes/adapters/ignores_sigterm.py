"""Fake adapter that ignores SIGTERM, hangs in a run request, and stays after answering close."""

import signal
import time

from _fake import answer, answer_correctly, log, requests

signal.signal(signal.SIGTERM, signal.SIG_IGN)

for request in requests():
    if request["cmd"] == "run":
        log("hanging in run, deaf to SIGTERM")
        time.sleep(3600)
    elif request["cmd"] == "close":
        answer(request["seq"], {})
        log("answered close, staying, deaf to SIGTERM")
        time.sleep(3600)
    else:
        answer_correctly(request)
