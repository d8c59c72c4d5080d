"""The floor: inbox files straight into DuckDB and one SQL query for the 低保 indicators.

No validation, no quarantine, no Dagster, no dbt: what the hardware needs at the least to
turn the same roster files into the same figures as the mart. Run by run_bench.py as

    python bench/floor.py --inbox DIR --period 2025H1 --out floor.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
for _p in (BENCH, BENCH.parent):  # floor_read and ingest.contract, run as a script
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

HOUSEHOLDS = ("month", "household_id", "region_code", "program", "covered_persons",
              "monthly_amount")
REGIONS = ("region_code", "urban_rural_code", "resident_population")

# typed roster rows; title, total, signature and empty rows have no month or no household id
TYPED = r"""
create temp table hh as
select make_date(cast(ym.y as int), cast(ym.m as int), 1) as month,
       trim(household_id) as household_id, trim(region_code) as village,
       case when lower(trim(program)) in ('urban', '城市低保', '城市') then 'urban'
            else 'rural' end as program,
       cast(regexp_replace(covered_persons, '[^0-9]', '', 'g') as bigint) as covered,
       cast(regexp_replace(monthly_amount, '[^0-9.]', '', 'g') as decimal(18, 2)) as amount
from (select *, regexp_extract(trim(month), '^(\d{4})\D?(\d{1,2})', ['y', 'm']) as ym
      from dibao_households_text) t
where ym.y <> '' and nullif(trim(household_id), '') is not null
  and not starts_with(trim(month), '合计')
"""

# one query: every 低保 indicator of the mart for the period, district and townships
INDICATORS = """
with villages as (
    select trim(region_code) as village, trim(urban_rural_code) as urc,
           cast(regexp_replace(resident_population, '[^0-9]', '', 'g') as bigint) as pop
    from regions_text where right(trim(region_code), 3) <> '000'
),
bridge as (
    select village, left(village, 9) || '000' as region_code from villages
    union all select village, left(village, 6) || '000000' from villages
),
pops as (
    select b.region_code, sum(pop) as total,
           coalesce(sum(pop) filter (where urc like '1%'), 0) as urban,
           coalesce(sum(pop) filter (where urc like '2%'), 0) as rural
    from bridge b join villages v using (village) group by all
),
months as (select distinct month from hh),
cur as (select * from hh where month between $first and $last),
prev as (select h.* replace (h.month + interval 1 month as month) from hh h
         where h.month + interval 1 month between $first and $last),
changes as (
    select coalesce(c.month, p.month) as month,
           coalesce(c.village, p.village) as village, coalesce(c.program, p.program) as program,
           coalesce(c.covered, p.covered) as covered,
           case when p.household_id is null then 'new' else 'exited' end as kind
    from cur c full join prev p on c.month = p.month and c.household_id = p.household_id
    where (p.household_id is null or c.household_id is null)
      and coalesce(c.month, p.month) - interval 1 month in (select month from months)
),
roster as (
    select b.region_code, x.breakdown, count(*) filter (where month = $last) as households_end,
           coalesce(sum(covered) filter (where month = $last), 0) as persons_end,
           count(*) as household_months, sum(covered) as person_months,
           sum(amount) as amount
    from cur join bridge b using (village),
         (select unnest([program, 'total']) as breakdown) x
    group by all
),
moves as (
    select b.region_code, x.breakdown,
           count(*) filter (where kind = 'new') as new_households,
           coalesce(sum(covered) filter (where kind = 'new'), 0) as new_persons,
           count(*) filter (where kind = 'exited') as exited_households,
           coalesce(sum(covered) filter (where kind = 'exited'), 0) as exited_persons
    from changes join bridge b using (village),
         (select unnest([program, 'total']) as breakdown) x
    group by all
),
wide as (
    select r.*, m.* exclude (region_code, breakdown),
           case r.breakdown when 'urban' then p.urban when 'rural' then p.rural
                else p.total end as population
    from roster r left join moves m using (region_code, breakdown)
    left join pops p using (region_code)
)
select region_code, breakdown, indicator, value from (
    select region_code, breakdown,
           households_end::double as dibao_households_end,
           persons_end::double as dibao_persons_end,
           household_months::double as dibao_household_months,
           person_months::double as dibao_person_months,
           amount::double / 10000 as dibao_funds,
           amount::double / nullif(person_months, 0) as dibao_avg_subsidy,
           persons_end * 100.0 / nullif(population, 0) as dibao_coverage_rate,
           coalesce(new_households, 0)::double as dibao_new_households,
           coalesce(new_persons, 0)::double as dibao_new_persons,
           coalesce(exited_households, 0)::double as dibao_exited_households,
           coalesce(exited_persons, 0)::double as dibao_exited_persons
    from wide
) unpivot (value for indicator in (columns(* exclude (region_code, breakdown))))
order by all
"""


def period_months(code: str) -> tuple[date, date]:
    """First and last month of YYYY-MM, YYYYH1/H2 or YYYY (the codes civstat run takes)."""
    y = int(code[:4])
    if len(code) == 4:
        return date(y, 1, 1), date(y, 12, 1)
    if code[4] in "HS":
        h = int(code[5])
        return date(y, 6 * h - 5, 1), date(y, 6 * h, 1)
    m = int(code[5:7])
    return date(y, m, 1), date(y, m, 1)


def run(inbox: Path, period: str) -> dict:
    import duckdb
    from floor_read import load

    first, last = period_months(period)
    t0 = time.perf_counter()
    con = duckdb.connect()
    skipped = {}
    with tempfile.TemporaryDirectory(prefix="civstat-floor-") as tmp:
        for source, cols in (("regions", REGIONS), ("dibao_households", HOUSEHOLDS)):
            files = sorted(p for p in (inbox / source).iterdir()
                           if p.is_file() and p.suffix.lower() in (".csv", ".xlsx"))
            skipped[source] = load(con, source, files, cols, Path(tmp))
        t_read = time.perf_counter()
        con.execute(TYPED)
        rows = con.execute(INDICATORS, {"first": first, "last": last}).fetchall()
    t_sql = time.perf_counter()
    n = con.execute("select count(*) from hh").fetchone()[0]
    return {
        "period": period, "roster_rows": n, "skipped_files": skipped,
        "read_s": round(t_read - t0, 3), "sql_s": round(t_sql - t_read, 3),
        "indicators": [{"region_code": r, "breakdown": b, "indicator": i, "value": v}
                       for r, b, i, v in rows],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--inbox", required=True, type=Path)
    p.add_argument("--period", default="2025H1")
    p.add_argument("--out", required=True, type=Path)
    a = p.parse_args(argv)
    result = run(a.inbox, a.period)
    a.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"floor: {result['roster_rows']:,} roster rows, read {result['read_s']} s, "
          f"SQL {result['sql_s']} s, {len(result['indicators'])} indicator values")
    return 0


if __name__ == "__main__":
    sys.exit(main())
