"""Linking throughput: a generated day of crossings against 30 days of history (exact documents, then Splink).

Prints figures, asserts nothing. Examples::

    PYTHONPATH=src .venv/bin/python benchmarks/link_bench.py --scale 0.01     # 18,400 arrivals x 552,000 history
    PYTHONPATH=src .venv/bin/python benchmarks/link_bench.py                  # the issue's 1.84 M x 30 days
    PYTHONPATH=src .venv/bin/python benchmarks/link_bench.py --scale 0.01 --backend spark

The population is generated with numpy and pyarrow compute (no per-row Python), names from Faker's vocabularies:
80 % pinyin names (91 surnames on a Zipf curve, one or two given syllables, written together or apart), 20 %
US names with their census weights, birth dates over 65 years. Of the day's arrivals 60 % crossed before with the
same passport, 10 % crossed before under another one (renewed passport; of these 40 % same name, 20 % a typo in the
given names, 20 % surname and given names swapped, 10 % a PNR title and no document, 10 % the birth day one off),
30 % never crossed. History holds each returning traveller 1-3 times; the rest is other people crossing about twice.
The times exclude generation (and Spark's start); the Splink figure includes training the model on the batch.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from faker.providers.person.en_US import Provider as UsNames
from faker.providers.person.zh_CN import Provider as ChineseNames

from kouan.travel.journey import batch_linking

ZH_SURNAMES = pa.array([name.upper() for name in ChineseNames.last_romanized_names])
ZH_ZIPF = 1 / np.arange(1, len(ZH_SURNAMES) + 1)
ZH_GIVEN = pa.array([name.upper() for name in ChineseNames.first_romanized_names])
US_SURNAMES = pa.array([name.upper() for name in UsNames.last_names])
US_SURNAME_WEIGHTS = np.array(list(UsNames.last_names.values()))
US_GIVEN = pa.array([name.upper() for name in UsNames.first_names])
ZH_NATIONALITIES, ZH_NATIONALITY_WEIGHTS = pa.array(["CHN", "HKG", "MAC", "TWN", "SGP"]), np.array([85, 6, 3, 3, 3])
US_NATIONALITIES = pa.array(["USA", "GBR", "CAN", "AUS", "DEU", "FRA", "RUS", "KOR", "JPN", "ITA"])
EPOCH, TODAY = np.datetime64("1940-01-01", "D"), np.datetime64("2020-03-15", "D")
VARIANTS = np.array([0.4, 0.2, 0.2, 0.1, 0.1])  # same name, typo, swapped, title without document, birth day off


def pick(rng: np.random.Generator, vocabulary: pa.Array, size: int, weights: np.ndarray | None = None) -> pa.Array:
    return pc.take(vocabulary, pa.array(rng.choice(len(vocabulary), size=size, p=_normal(weights))))


def _normal(weights: np.ndarray | None) -> np.ndarray | None:
    return None if weights is None else weights / weights.sum()


def people(rng: np.random.Generator, size: int) -> pa.Table:
    """`size` distinct people: person_id, names, birth date, nationality, sex and passport."""
    chinese = pa.array(rng.random(size) < 0.8)
    first, second = pick(rng, ZH_GIVEN, size), pick(rng, ZH_GIVEN, size)
    written_apart = pc.if_else(pa.array(rng.random(size) < 0.3), " ", "")
    zh_given = pc.if_else(
        pa.array(rng.random(size) < 0.7), pc.binary_join_element_wise(first, second, written_apart), first
    )
    ids = np.arange(size)
    return pa.table(
        {
            "person_id": ids,
            "surname": pc.if_else(
                chinese, pick(rng, ZH_SURNAMES, size, ZH_ZIPF), pick(rng, US_SURNAMES, size, US_SURNAME_WEIGHTS)
            ),
            "given_names": pc.if_else(chinese, zh_given, pick(rng, US_GIVEN, size)),
            "birth_date": pa.array(EPOCH + rng.integers(0, 65 * 365, size), pa.date32()),
            "nationality": pc.if_else(
                chinese, pick(rng, ZH_NATIONALITIES, size, ZH_NATIONALITY_WEIGHTS), pick(rng, US_NATIONALITIES, size)
            ),
            "sex": pick(rng, pa.array(["M", "F"]), size),
            "document_number": _numbers(pick(rng, pa.array(["E", "G", "P"]), size), ids),
        }
    )


def _numbers(letters: pa.Array, numbers: np.ndarray) -> pa.Array:
    return pc.binary_join_element_wise(letters, pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), 8, "0"), "")


def _with_ids(rows: pa.Table, prefix: str, rng: np.random.Generator, days_back: tuple[int, int]) -> pa.Table:
    record_ids = pc.binary_join_element_wise(prefix, pc.cast(pa.array(np.arange(rows.num_rows)), pa.string()), "")
    event = pa.array(TODAY - rng.integers(*days_back, rows.num_rows), pa.date32())
    return rows.append_column("record_id", record_ids).append_column("event_date", event)


def generate(*, day: int, history_days: int, seed: int = 7) -> tuple[pa.Table, pa.Table]:
    """(arrivals, history), both with a person_id column that is the planted truth."""
    rng = np.random.default_rng(seed)
    same, fuzzy = int(day * 0.6), int(day * 0.1)
    returning, new = same + fuzzy, day - same - fuzzy
    visits = rng.integers(1, 4, returning)
    background_rows = max(day * history_days - int(visits.sum()), 0)
    background = max(background_rows // 2, 1)
    pool = people(rng, returning + background + new)
    crossed = np.concatenate(
        [np.repeat(np.arange(returning), visits), rng.integers(returning, returning + background, background_rows)]
    )
    history = _with_ids(pool.take(pa.array(crossed)), "h", rng, (1, history_days + 1))
    today = pool.take(pa.array(np.concatenate([np.arange(returning), np.arange(returning + background, len(pool))])))
    arrivals = pa.concat_tables(
        [today.slice(0, same), _variants(rng, today.slice(same, fuzzy)), today.slice(returning)]
    )
    return _with_ids(arrivals, "a", rng, (0, 1)), history


def _variants(rng: np.random.Generator, rows: pa.Table) -> pa.Table:
    """Renewed passports, and on top of that a typo, a swap, a PNR title or a birth day off by one."""
    kind = rng.choice(len(VARIANTS), size=rows.num_rows, p=VARIANTS)
    is_kind = [pa.array(kind == number) for number in range(len(VARIANTS))]
    surname, given, birth = rows["surname"], rows["given_names"], rows["birth_date"]
    typo = pc.if_else(
        pa.array(rng.random(rows.num_rows) < 0.5),
        pc.utf8_replace_slice(given, 1, 2, ""),
        pc.utf8_replace_slice(given, 2, 3, "O"),
    )
    given = pc.if_else(is_kind[1], typo, given)
    given = pc.if_else(is_kind[3], pc.binary_join_element_wise(given, "MR", " "), given)
    surname, given = pc.if_else(is_kind[2], given, surname), pc.if_else(is_kind[2], surname, given)
    renewed = _numbers(pa.array(np.full(rows.num_rows, "N")), rng.integers(0, 10**8, rows.num_rows))
    changed = {
        "surname": surname,
        "given_names": given,
        "birth_date": pc.if_else(is_kind[4], _day_off(birth), birth),
        "document_number": pc.if_else(is_kind[3], pa.nulls(rows.num_rows, pa.string()), renewed),
    }
    for name, column in changed.items():
        rows = rows.set_column(rows.schema.get_field_index(name), name, column)
    return rows


def _day_off(birth: pa.ChunkedArray) -> pa.Array:
    days = pc.cast(birth, pa.int32()).to_numpy()
    step = np.where(pc.day(birth).to_numpy() < 28, 1, -1)
    return pa.array((days + step).astype("datetime64[D]"), pa.date32())


def candidate_pairs(con: duckdb.DuckDBPyConnection) -> int:
    """Pairs the blocking rules generate for the remainder, summed over rules (an upper bound: Splink de-duplicates)."""
    total = 0
    for rule in batch_linking.BLOCKING_RULES:
        keys = re.findall(r"l\.(\w+) = r\.(\w+)", rule)
        left = ", ".join(f"{l_key} AS k{n}" for n, (l_key, _) in enumerate(keys))
        right = ", ".join(f"{r_key} AS k{n}" for n, (_, r_key) in enumerate(keys))
        using = ", ".join(f"k{n}" for n in range(len(keys)))
        sql = f"""SELECT sum(a.n * h.n) FROM (SELECT {left}, count(*) n FROM arrivals_rest GROUP BY ALL) a
            JOIN (SELECT {right}, count(*) n FROM history_rest GROUP BY ALL) h USING ({using})"""
        row = con.sql(sql).fetchone()
        total += int(row[0] or 0) if row else 0
    return total


def keep_truth(con: duckdb.DuckDBPyConnection, arrivals: pa.Table, history: pa.Table) -> None:
    """The planted person of every record, kept in DuckDB so that the Arrow inputs can be freed."""
    for name, table in (("arrival_people", arrivals), ("history_people", history)):
        con.register("people_arrow", table.select(["record_id", "person_id"]))
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM people_arrow")
        con.unregister("people_arrow")


def accuracy(con: duckdb.DuckDBPyConnection) -> tuple[float, float]:
    """Precision of the Splink links and their recall of the planted pairs of the arrivals Splink was given."""
    truth = """SELECT r.record_id AS arrival_id, h.record_id AS history_id FROM arrivals_rest r
        JOIN arrival_people a USING (record_id) JOIN history_people h ON a.person_id = h.person_id"""
    found = "SELECT arrival_id, history_id FROM splink_links"
    row = con.sql(
        f"""WITH truth AS ({truth}), found AS ({found})
        SELECT (SELECT count(*) FROM found), (SELECT count(*) FROM truth),
            (SELECT count(*) FROM found JOIN truth USING (arrival_id, history_id))"""
    ).fetchone()
    found_count, truth_count, right = row if row else (0, 0, 0)
    return right / max(found_count, 1), right / max(truth_count, 1)


def spark_session() -> Any:
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master("local[*]").appName("kouan-link-bench")
    for key, value in {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "8",
        "spark.driver.memory": "6g",
    }.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def run(*, day: int, history_days: int, backend: str, threshold: float) -> None:
    started = time.perf_counter()
    arrivals, history = generate(day=day, history_days=history_days)
    size = f"{arrivals.num_rows:,} arrivals and {history.num_rows:,} history rows"
    print(f"generated {size} in {time.perf_counter() - started:.1f} s")
    spark = spark_session() if backend == "spark" else None
    con = duckdb.connect()
    keep_truth(con, arrivals, history)
    _, exact = _timed(batch_linking.stage_inputs, con=con, arrivals=arrivals, history=history)
    day_count, records, counted = arrivals.num_rows, arrivals.num_rows + history.num_rows, _counter(con)
    del arrivals, history
    linked = counted("document_links", "arrival_id")
    print(
        f"exact-key path: {day_count:,} arrivals in {exact:.2f} s = {day_count / exact:,.0f} arrivals/s "
        f"({records / exact:,.0f} records normalised and joined/s); {linked:,} linked by document "
        f"= {linked / exact:,.0f} linked/s ({counted('document_links'):,} links)"
    )
    rest, pairs = counted("arrivals_rest"), candidate_pairs(con)
    model, train = _timed(batch_linking.train_model, con=con)
    _, score = _timed(
        batch_linking.score_remainder, con=con, model=model, backend=backend, threshold=threshold, spark_session=spark
    )
    precision, recall = accuracy(con)
    linked, seconds = counted("splink_links", "arrival_id"), train + score
    print(
        f"fuzzy path ({backend}): {rest:,} arrivals, ~{pairs:,} candidate pairs; training {train:.2f} s, "
        f"scoring {score:.2f} s = {rest / seconds:,.0f} arrivals/s; {linked:,} linked = {linked / seconds:,.0f} "
        f"linked/s ({counted('splink_links'):,} links); precision {precision:.3f}, recall {recall:.3f} of planted pairs"
    )


def _counter(con: duckdb.DuckDBPyConnection) -> Any:
    def counted(table: str, distinct: str | None = None) -> int:
        row = con.sql(f"SELECT count({f'DISTINCT {distinct}' if distinct else '*'}) FROM {table}").fetchone()
        return int(row[0]) if row else 0

    return counted


def _timed(step: Any, **arguments: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = step(**arguments)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--day", type=int, default=1_840_000, help="arrivals in the day (the issue's national figure)")
    parser.add_argument("--history-days", type=int, default=30, help="days of history, each as large as the day")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply --day by this (e.g. 0.01 for a quick run)")
    parser.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb", help="where Splink scores")
    parser.add_argument("--threshold", type=float, default=0.9, help="match probability a Splink link needs")
    args = parser.parse_args()
    run(day=int(args.day * args.scale), history_days=args.history_days, backend=args.backend, threshold=args.threshold)


if __name__ == "__main__":
    main()
