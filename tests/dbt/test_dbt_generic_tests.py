"""The project's generic dbt tests (dbt_project/tests/generic/) on hand-made tables: the SQL
between `{% test %}` and `{% endtest %}`, rendered with Jinja2 as dbt does, run on DuckDB."""

import re
from pathlib import Path

import duckdb
import jinja2
import pytest

GENERIC = Path(__file__).resolve().parents[2] / "dbt_project" / "tests" / "generic"


def render_test(name: str, **kwargs) -> str:
    text = (GENERIC / f"{name}.sql").read_text(encoding="utf-8")
    body = re.search(r"\{% test \w+\([^)]*\) %\}(.*)\{% endtest %\}", text, re.S).group(1)
    return jinja2.Template(body).render(**kwargs)


# (person_key, month): a repeat, a repeat of NULLs, a triple, and rows that differ in one
# column only
ROWS = [
    ("p1", "2025-01"), ("p1", "2025-01"),
    (None, None), (None, None),
    ("p2", "2025-02"), ("p2", "2025-02"), ("p2", "2025-02"),
    ("p1", "2025-02"), ("p3", "2025-01"), ("p3", None),
]
REPEATS = sorted([("p1", "2025-01", 2), ("p2", "2025-02", 3), (None, None, 2)],
                 key=repr)


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create table banded (person_key varchar, month varchar)")
    con.executemany("insert into banded values (?, ?)", ROWS)
    yield con
    con.close()


def _failures(con, sql: str) -> list:
    """The failing rows, each as often as the test returns it."""
    return sorted(con.execute(sql).fetchall(), key=repr)


def test_unique_combination_fails_with_every_repeat_once(con):
    sql = render_test("unique_combination_of_columns", model="banded",
                      combination_of_columns=["person_key", "month"])
    assert _failures(con, sql) == REPEATS


def test_unique_combination_passes_without_repeats(con):
    con.execute("delete from banded where person_key in ('p1', 'p2') or person_key is null")
    sql = render_test("unique_combination_of_columns", model="banded",
                      combination_of_columns=["person_key", "month"])
    assert _failures(con, sql) == []


def test_a_hash_collision_adds_no_failure(con):
    # every combination hashes alike: all are candidates, and still only the repeats fail
    con.execute("create macro collide(a, b) as 0")
    sql = render_test("unique_combination_of_columns", model="banded",
                      combination_of_columns=["person_key", "month"]).replace("hash(", "collide(")
    assert "collide(person_key, month)" in sql
    assert _failures(con, sql) == REPEATS
