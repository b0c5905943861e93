"""Settings refuse what could never apply, naming the key and what would be accepted."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kouan.referrals.lifecycle import CLOSED, STATES
from kouan.settings import OPEN_REFERRAL_STATES, Settings


def test_a_deadline_for_a_state_the_loop_lacks_is_refused_naming_it_and_the_states(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOUAN_REFERRAL_DEADLINES", '{"created": 30, "acknowleged": 180}')
    with pytest.raises(ValidationError) as refused:
        Settings()
    message = str(refused.value)
    assert "referral_deadlines" in message
    assert "'acknowleged' is not an open state of the referral loop" in message
    assert f"its open states are {', '.join(OPEN_REFERRAL_STATES)}" in message


def test_a_deadline_for_a_closed_state_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOUAN_REFERRAL_DEADLINES", '{"completed": 30}')
    with pytest.raises(ValidationError, match="'completed' is not an open state"):
        Settings()


def test_the_open_states_settings_knows_are_the_machines() -> None:
    """Settings cannot import the machine (every layer reads settings), so it names the open states itself."""
    assert list(OPEN_REFERRAL_STATES) == [state for state in STATES if state not in CLOSED]


def test_deadlines_for_states_of_the_loop_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOUAN_REFERRAL_DEADLINES", '{"sent": 15, "monitoring": 60}')
    assert Settings().referral_deadlines == {"sent": 15, "monitoring": 60}


def test_the_default_deadlines_name_only_open_states() -> None:
    deadlines = Settings.model_fields["referral_deadlines"].default
    assert set(deadlines) == set(STATES) - set(CLOSED)
