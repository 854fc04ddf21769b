"""The console routes' annotated dependencies and id bounds, defined once for every route."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query

from console.context import ConsoleContext, context_of

LARGEST_ID = 2**31 - 1
"""The largest id a route accepts: a 32-bit signed column, as PostgreSQL stores it."""

Context = Annotated[ConsoleContext, Depends(context_of)]
"""The console's process-wide context, for a route: `ctx: Context`."""

AlertId = Annotated[int, Path(ge=1, le=LARGEST_ID, description="Kömek's number for the alert.")]
"""An alert's number in the path; anything outside the column's range is refused (422)."""

AlertNumber = Annotated[int | None, Query(ge=1, le=LARGEST_ID)]
"""An optional alert number in the query string (the alert an Update or Cancel refers to)."""
