"""Error bodies shared by every router of the API."""
from ninja import Schema


class Error(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str]
    msg: str


class ValidationErrors(Schema):
    detail: list[FieldError]
