"""Errors the services of every app raise, beside Django's ValidationError and PermissionDenied."""


class Conflict(Exception):
    """The action does not apply to the object's current state, or lost a race (409 in the API)."""
