"""An ordered, keyed registry that apps fill at start-up."""

from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar


class Keyed(Protocol):
    key: str
    order: int


T = TypeVar("T", bound=Keyed)


class Registry(Generic[T]):
    """Entries by key, read in ``order``. Registering the same entry twice is harmless
    (``ready()`` may run more than once in tests); two different entries under one key
    are a programming error and fail at start-up."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, T] = {}

    def register(self, entry: T) -> T:
        existing = self._entries.get(entry.key)
        if existing is not None and existing != entry:
            raise ValueError(f"The {self.name} registry already has {entry.key!r}.")
        self._entries[entry.key] = entry
        return entry

    def get(self, key: str) -> T | None:
        return self._entries.get(key)

    def __iter__(self) -> Iterator[T]:
        return iter(sorted(self._entries.values(), key=lambda e: (e.order, e.key)))

    def __len__(self) -> int:
        return len(self._entries)
