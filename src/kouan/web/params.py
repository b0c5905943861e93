"""Path parameters shared by the routers."""

from typing import Annotated

from fastapi import Path

# A row id: anything outside a 64-bit integer is answered 422 here, before a database is asked to hold it.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The row's id.")]
