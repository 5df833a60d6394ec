"""Records are addressed by a public UUID: reading one from a URL, a query or a form."""

import uuid


def parse_uuid(value: object) -> uuid.UUID | None:
    """The UUID written in ``value``, or None when it is not one (never an exception)."""
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None
