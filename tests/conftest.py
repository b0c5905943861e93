"""Fixtures shared by the suite: a migrated store on SQLite and on a real PostgreSQL, with JHU risk loaded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from kouan.db import get_engine, session_factory
from kouan.measures.jhu import read_jhu
from kouan.measures.service import import_risk, load_regions
from kouan.migrate import upgrade
from kouan.models import metadata
from kouan.settings import get_settings
from tests.support.postgres import Cluster, start_cluster

DATA = Path(__file__).resolve().parent / "data"  # copies of the shared real data: see data/README.md
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"  # the originals, beside the checkout when present
BUNDLED_JHU = (
    Path(__file__).resolve().parents[1] / "src" / "kouan" / "measures" / "data" / "jhu_2020H1_daily_rate14.csv.gz"
)
SAMPLES = DATA / "paxlst"
PNRGOV_GTAS = DATA / "pnrgov" / "pnrgov_gtas_pg76_11_1.edi"
WEEKLY_JHU = DATA / "risk" / "jhu_country_weekly_rate14_2020_2023.csv.gz"
KEEP = {"region", "region_risk", "alembic_version"}


@pytest.fixture(scope="session", autouse=True)
def audit_key_outside_the_tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The audit key and checkpoint of the test session live in a temporary folder, never in the tree's var/."""
    folder = tmp_path_factory.mktemp("audit")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KOUAN_AUDIT_KEY_FILE", str(folder / "audit.key"))
        patch.setenv("KOUAN_AUDIT_CHECKPOINT_FILE", str(folder / "audit-checkpoint.json"))
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    cluster = start_cluster()
    yield cluster
    cluster.stop()


def _migrated_with_risk(url: str) -> str:
    upgrade(url)
    with session_factory(url)() as session:
        load_regions(session=session)
        import_risk(session=session, rows=read_jhu(BUNDLED_JHU))
        session.commit()
    return url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _migrated_with_risk(f"sqlite:///{tmp_path_factory.mktemp('db') / 'kouan.sqlite3'}")


@pytest.fixture(scope="session")
def postgres_url(postgres_cluster: Cluster) -> str:
    return _migrated_with_risk(postgres_cluster.create_database("kouan_test"))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The same test on both stores; registry tables are emptied after each test, risk figures are kept."""
    url = request.getfixturevalue(f"{request.param}_url")
    yield url
    empty_registry(get_engine(url))


@pytest.fixture
def postgres_only(postgres_url: str) -> Iterator[str]:
    """For behaviour only PostgreSQL has (SKIP LOCKED): the same clean-up as ``database_url``."""
    yield postgres_url
    empty_registry(get_engine(postgres_url))


def empty_registry(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            if table.name == "unit":  # units form a tree: cut it before deleting
                connection.execute(text("UPDATE unit SET parent_id = NULL"))
            if table.name not in KEEP:
                connection.execute(text(f"DELETE FROM {table.name}"))


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    with session_factory(database_url)() as session:
        yield session
        session.rollback()


@pytest.fixture
def store(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The configured store (what the CLI uses) pointed at this test's database."""
    monkeypatch.setenv("KOUAN_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()
