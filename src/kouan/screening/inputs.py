"""Engine inputs: the Arrow column contract, backend connections, and handing data to a backend.

DuckDB cannot download extensions at run time, so data reaches it as Arrow (small batches: one manifest)
or Parquet (large batches: a retroactive re-screening). Spark receives Arrow through
``SparkSession.createDataFrame(pyarrow.Table)`` (PySpark >= 4.0: columnar, keeps NaN apart from null and
needs no pandas); PySpark 3.5 cannot take an Arrow table, so there the data goes through pandas with an
explicit Spark schema. Large Spark batches should come from Parquet (:func:`read_parquet_inputs`), which
Spark reads in parallel.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend

STAYS_SCHEMA = pa.schema(
    [
        pa.field("traveller_id", pa.int64(), nullable=False),
        pa.field("stay_id", pa.int64(), nullable=False),
        pa.field("region_code", pa.string(), nullable=False),
        pa.field("place", pa.string()),
        pa.field("stay_date", pa.date32(), nullable=False),
        pa.field("screen_date", pa.date32(), nullable=False),
        pa.field("arrival_date", pa.date32(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
    ]
)
RISK_SCHEMA = pa.schema(
    [
        pa.field("region_code", pa.string(), nullable=False),
        pa.field("data_date", pa.date32(), nullable=False),
        pa.field("rate_14d", pa.float64()),
        pa.field("recorded_date", pa.date32(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
    ]
)
DESIGNATIONS_SCHEMA = pa.schema(
    [
        pa.field("designation_id", pa.int64(), nullable=False),
        pa.field("region_code", pa.string(), nullable=False),
        pa.field("level_rank", pa.int8(), nullable=False),
        pa.field("valid_from", pa.date32(), nullable=False),
        pa.field("valid_to", pa.date32()),
        pa.field("recorded_date", pa.date32(), nullable=False),
    ]
)
BACKENDS = ("duckdb", "spark")


def connect(*, backend: str = "duckdb", spark_session: Any = None) -> BaseBackend:
    """A backend connection: DuckDB in memory (a fresh one each call: never share it across threads), or
    Spark on ``spark_session`` (the active or a default session when None)."""
    if backend == "duckdb":
        return ibis.duckdb.connect()
    if backend == "spark":
        return _spark_connect(spark_session)
    raise ValueError(f"unknown backend {backend!r}; expected one of {', '.join(BACKENDS)}")


def _spark_connect(spark_session: Any) -> BaseBackend:
    if spark_session is None:
        from pyspark.sql import SparkSession

        spark_session = SparkSession.builder.getOrCreate()
    return ibis.pyspark.connect(spark_session, **{"spark.sql.execution.arrow.pyspark.enabled": "true"})


def conform(table: pa.Table, *, schema: pa.Schema) -> pa.Table:
    """The table's columns of ``schema``, in its order, cast to its types; extra columns are dropped.

    Raises ``ValueError`` naming missing columns, or nulls in a column the contract says cannot be null.
    """
    missing = [name for name in schema.names if name not in table.column_names]
    if missing:
        raise ValueError(f"missing columns: {', '.join(missing)}")
    columns = [table.column(f.name).cast(f.type) for f in schema]
    nulls = [f.name for f, c in zip(schema, columns, strict=True) if not f.nullable and c.null_count]
    if nulls:
        raise ValueError(f"nulls in non-nullable columns: {', '.join(nulls)}")
    return pa.Table.from_arrays(columns, schema=schema)


def tables_from_arrow(*, con: BaseBackend, stays: pa.Table, risk: pa.Table) -> tuple[ir.Table, ir.Table]:
    """Registers the stays and risk Arrow tables on ``con`` (conformed to the contract) as ibis tables."""
    return (
        _register(con=con, table=conform(stays, schema=STAYS_SCHEMA), prefix="kouan_stays"),
        _register(con=con, table=conform(risk, schema=RISK_SCHEMA), prefix="kouan_risk"),
    )


def designations_from_arrow(*, con: BaseBackend, designations: pa.Table) -> ir.Table:
    """Registers analysts' designations (conformed to :data:`DESIGNATIONS_SCHEMA`) on ``con``."""
    return _register(con=con, table=conform(designations, schema=DESIGNATIONS_SCHEMA), prefix="kouan_designations")


def _register(*, con: BaseBackend, table: pa.Table, prefix: str) -> ir.Table:
    name = f"{prefix}_{uuid.uuid4().hex}"
    if con.name == "pyspark":
        _spark_dataframe(con=con, table=table).createOrReplaceTempView(name)
        return con.table(name)
    return con.create_table(name, obj=table, temp=True)


def _spark_dataframe(*, con: Any, table: pa.Table) -> Any:
    session = con._session
    try:
        return session.createDataFrame(table)
    except (TypeError, ValueError):  # PySpark < 4.0 takes pandas, not Arrow
        from ibis.backends.pyspark.datatypes import PySparkSchema

        schema = PySparkSchema.from_ibis(ibis.Schema.from_pyarrow(table.schema))
        return session.createDataFrame(table.to_pandas(), schema=schema)


def release(*, con: BaseBackend, tables: tuple[ir.Table, ...] = ()) -> None:
    """Closes a DuckDB connection; on Spark drops the temp views of ``tables`` and leaves the session up
    (it belongs to the caller)."""
    if con.name == "duckdb":
        con.disconnect()
    elif con.name == "pyspark":
        for table in tables:
            con._session.catalog.dropTempView(table.get_name())


def read_parquet_inputs(
    *, con: BaseBackend, stays_path: str | Path, risk_path: str | Path
) -> tuple[ir.Table, ir.Table]:
    """Stays and risk read lazily from Parquet files (or directories of them) on ``con``."""
    return (
        _read_parquet(con=con, path=stays_path, schema=STAYS_SCHEMA),
        _read_parquet(con=con, path=risk_path, schema=RISK_SCHEMA),
    )


def _read_parquet(*, con: BaseBackend, path: str | Path, schema: pa.Schema) -> ir.Table:
    table = con.read_parquet(str(path))
    return table.select(*schema.names).cast(ibis.Schema.from_pyarrow(schema))
