"""A list handed between Prefect tasks as one value.

Prefect looks for futures and states in a task's parameters by walking every list, tuple, set, dict and
dataclass inside them, down to the last field, before the task starts (and again to record the task's
inputs). A run's files are thousands of dataclasses, each with dicts of tuples: walking a quarter's
5,400 checked files cost seconds. Any other type Prefect takes whole, and files hold no future.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class Whole(Sequence[T]):
    """A read-only list (iteration, length, indexing, slicing to a list) that Prefect does not walk into."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._items = list(items)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        return self._items == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self) -> str:
        return f"Whole({self._items!r})"
