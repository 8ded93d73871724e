"""Background jobs of the tracking app, run by the django-tasks worker.

A job takes ids and calls one service, like a view.
"""
from django_tasks import task

from luoshi.tracking import services


@task()
def delivery_send(delivery_id: int) -> str:
    """Make one attempt; after a failure with attempts left, queue the next one.

    Retrying by re-enqueueing with ``run_after`` rather than sleeping in a
    loop leaves the worker free for other jobs during the back-off, and the
    pending retry survives a worker restart because it is a row in the queue.
    A backend that cannot defer jobs (the immediate backend runs them inline)
    retries at once; the attempt limit still ends the chain.
    """
    attempt = services.delivery_attempt(delivery_id=delivery_id)
    if attempt.retry_at is not None:
        retry = delivery_send
        if delivery_send.get_backend().supports_defer:
            retry = delivery_send.using(run_after=attempt.retry_at)
        retry.enqueue(delivery_id)
    return attempt.delivery.status
