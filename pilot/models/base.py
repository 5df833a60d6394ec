import uuid

from django.db import models


class PublicModel(models.Model):
    """A record addressed in URLs by a public UUID, never by its integer key."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
