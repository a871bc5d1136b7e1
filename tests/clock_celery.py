"""`python -m tests.clock_celery ARGS…` = `celery ARGS…` on the shifted clock of the test run.

The test process hands its current (shifted) instant in CHATDONG_TEST_CLOCK; the worker starts
its own ticking clock there, so a task and the test that queued it agree on "now". Prefork
children inherit the patched clock through fork.
"""

import datetime
import os
import sys

import time_machine

if __name__ == "__main__":
    start = datetime.datetime.fromisoformat(os.environ["CHATDONG_TEST_CLOCK"])
    time_machine.travel(start, tick=True).start()
    from celery.__main__ import main

    sys.argv = ["celery", *sys.argv[1:]]
    sys.exit(main())
