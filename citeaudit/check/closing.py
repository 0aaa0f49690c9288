"""`with store:` for the stores: entering gives the store, leaving closes it."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class ClosedOnExit:
    """A resource used in a `with` block is closed when the block ends, however it ends."""

    def close(self) -> None:
        """Release the resource (each store closes its own connections)."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
