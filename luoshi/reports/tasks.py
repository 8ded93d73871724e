"""Background jobs of the reports app, run by the django-tasks worker.

A job takes ids and calls one service, like a view.
"""
from django_tasks import task

from luoshi.reports import circular


@task()
def document_generate(document_id: int) -> str:
    """Build a requested circular; its row records the steps and the outcome."""
    return circular.document_generate(document_id=document_id).status
