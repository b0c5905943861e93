"""A domain refuses with one of kouan.errors' kinds and the API answers it the same way everywhere: the status of its
kind and a detail a client can act on; the request's transaction is rolled back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kouan import errors
from kouan.api.guards import install
from kouan.formats.records import FormatError
from kouan.settings import Settings

SRC = Path(__file__).resolve().parents[2] / "src" / "kouan"


def _app_raising(error: Exception) -> TestClient:
    app = FastAPI()
    install(app, settings=Settings())

    @app.get("/x")
    def refuse() -> None:
        raise error

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("error", "status", "detail"),
    [
        (errors.NotFound("no voyage 7"), 404, "no voyage 7"),
        (errors.NotPermitted("port CAN is not one of your units'"), 403, "port CAN is not one of your units'"),
        (errors.Conflict("the check has its decision"), 409, "the check has its decision"),
        (errors.Gone("the answer's reading period is over"), 410, "the answer's reading period is over"),
        (errors.Invalid("give an address or a division"), 422, "give an address or a division"),
        (errors.FieldInvalid("no such adcode", field="division"), 422,
         {"field": "division", "message": "no such adcode"}),
        (FormatError(position="NAD (segment 4)", message="no surname"), 422,
         {"position": "NAD (segment 4)", "message": "no surname"}),
    ],
)  # fmt: skip
def test_each_kind_of_refusal_has_its_status_and_detail(error: Exception, status: int, detail: object) -> None:
    answer = _app_raising(error).get("/x")
    assert answer.status_code == status
    assert answer.json() == {"detail": detail}


def test_an_unknown_division_on_a_referral_is_a_422_naming_the_field() -> None:
    from kouan.referrals.service import UnknownDivision

    answer = _app_raising(UnknownDivision("999999 is not a division")).get("/x")
    assert answer.status_code == 422
    assert answer.json()["detail"]["field"] == "division"


def _views_turning_errors_into_http() -> list[str]:
    """API modules (not the console, whose forms show errors beside their fields) that catch an exception only to
    raise an HTTPException: the mapping in api.guards does that once."""
    found = []
    for path in SRC.rglob("*.py"):
        if "web" in path.relative_to(SRC).parts:
            continue
        for handler in (n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.ExceptHandler)):
            raised = [r for r in ast.walk(handler) if isinstance(r, ast.Raise) and r.exc is not None]
            if any("HTTPException" in ast.unparse(r.exc) for r in raised):
                found.append(f"{path.relative_to(SRC)}:{handler.lineno}")
    return found


def test_no_api_view_translates_a_domain_error_by_hand() -> None:
    assert _views_turning_errors_into_http() == []
