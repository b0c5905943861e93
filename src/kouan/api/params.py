"""Path parameters shared by the routers."""

from typing import Annotated

from fastapi import Path, Query

# A row id: anything outside a 64-bit integer is answered 422 here, before a database is asked to hold it.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The row's id.")]

# A position in a list or a feed: bounded like a row id, so a huge number is 422 here and never reaches a database.
Offset = Annotated[int, Query(ge=0, le=2**63 - 1, description="How many items to skip.")]
Cursor = Annotated[int, Query(ge=0, le=2**63 - 1, description="The last event id already read (0 for the start).")]
