import uuid


def parse_uuid(value: str | None) -> uuid.UUID | None:
    """A UUID from a query string, or None when it is missing or malformed."""
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None
