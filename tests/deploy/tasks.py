"""A task for the shared-queue test: it takes a moment and says which worker ran it."""

import os
import time

from django_tasks import task


@task()
def take_a_moment(number: int) -> dict:
    time.sleep(0.2)
    return {"number": number, "pid": os.getpid()}
