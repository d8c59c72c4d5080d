"""Micro-benchmark of ingest stage 1 alone on one large 低保 roster file (issue 18).

What it measures: ``ingest.cache.parse_file`` (read the file, find the header, normalise
every cell, parse and check every cell, row rules, totals, HMAC of the ID numbers, the
original row as JSON) on one file, in this process, polars and DuckDB limited to one thread
(``POLARS_MAX_THREADS=1``, set before polars is imported; DuckDB ``threads=1`` where stage 1
uses it), so rows per CPU second is rows per second per core.

The file: the roster rows of the demo district sample (``civstat sample --scale district
--faults some``, made once under ``bench/.cache/stage1/sample``) as the clerks typed them —
every value form of the sample styles (``2025/01``, ``202501``, ``2025年1月``, ``1,234.00元``,
``城市低保``/``urban`` …) and its planted cell faults (bad IDs, negative amounts, zero-width
characters …) — under one header of the contract's Chinese names, repeated to ``--rows``
rows. Each valid ID number gets another sequence number (the row's index, mod 1000) and its
check digit, so nearly every row hashes a distinct ID, as in a real month's roster. Every
50 000 rows one line with a stray quote is planted (``malformed_row``) and the file ends
with a 合计 row that adds up. ``--format xlsx`` writes the same cells to a workbook (numbers
as number cells, the rest as text).

Usage::

    .venv/bin/python bench/stage1_bench.py --rows 200000 --format csv --repeat 3
    .venv/bin/python bench/stage1_bench.py --rows 200000 --format xlsx --repeat 3
    .venv/bin/python bench/stage1_bench.py --rows 200000 --profile   # + cProfile top 25

Prints one JSON object: rows, rows/s by wall and by CPU (per core), CPU seconds, peak RSS,
and the time per part (median over repetitions).
"""

from __future__ import annotations

import os

os.environ["POLARS_MAX_THREADS"] = "1"  # one core: before polars is imported
os.environ.setdefault("CIVSTAT_PARSE_WORKERS", "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache" / "stage1"
SOURCE = "dibao_households"
MALFORMED_EVERY = 50_000
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643-1999


def sample_dir() -> Path:
    out = CACHE / "sample"
    if not (out / "_planted.json").exists():
        civstat = Path(sys.executable).with_name("civstat")
        subprocess.run([str(civstat), "sample", "--out", str(out), "--scale", "district",
                        "--faults", "some"], check=True, stdout=subprocess.DEVNULL)
    return out


def roster_rows(sample: Path) -> list[list[str | None]]:
    """The data rows of every readable roster file, cells as typed, in contract order."""
    import polars as pl

    from ingest.contract import SOURCES
    from ingest.reader import UnreadableFile, read_file
    from ingest.sheet_layout import locate

    src = SOURCES[SOURCE]
    names = [c.name for c in src.columns]
    rows: list[list[str | None]] = []
    for path in sorted((sample / SOURCE).iterdir()):
        try:
            grid = read_file(path, path.read_bytes())
        except UnreadableFile:
            continue
        for g in grid.sheets():
            if not g.columns:
                continue
            lay = locate(g, src)
            if lay.header_row is None:
                continue
            keep = lay.data
            if "_row_fault" in keep.columns:
                keep = keep.filter(pl.col("_row_fault").is_null())
            raw = g.frame.join(keep.select("_row"), on="_row", how="semi")
            cols = [(pl.col(f"c{lay.mapping[n]}") if n in lay.mapping
                     else pl.lit(None, pl.String)).alias(n) for n in names]
            rows += [list(r) for r in raw.select(cols).iter_rows()]
    return rows


def _other_id(text: str | None, k: int) -> str | None:
    """A valid 18-digit ID with its sequence number moved by ``k`` (mod 1000) and its check
    digit made again; any other text unchanged."""
    if k == 0 or text is None or not re.fullmatch(r"[0-9]{17}[0-9Xx]", text):
        return text
    total = sum(int(ch) * w for ch, w in zip(text[:17], WEIGHTS, strict=True))
    if "10X98765432"[total % 11] != text[17].upper():
        return text  # a planted bad check digit stays bad
    body = text[:14] + f"{(int(text[14:17]) + 7 * k) % 1000:03d}"
    total = sum(int(ch) * w for ch, w in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    t = text.replace(",", "").replace("元", "").replace("人", "").replace("户", "").strip()
    try:
        return float(t)
    except ValueError:
        return None


def build_file(rows: int, fmt: str) -> Path:
    """The bench file of ``rows`` data rows (made once, kept under bench/.cache/stage1)."""
    from ingest.contract import SOURCES

    target = CACHE / f"dibao_{rows}.{fmt}"
    if target.exists():
        return target
    src = SOURCES[SOURCE]
    base = roster_rows(sample_dir())
    id_at = [c.name for c in src.columns].index("head_id_number")
    sums = {n: 0.0 for n in ("family_size", "covered_persons", "monthly_amount")}
    at = {n: [c.name for c in src.columns].index(n) for n in sums}
    out: list[list[str | None] | str] = []
    for i in range(rows):
        if i and i % MALFORMED_EVERY == 0:
            out.append('2025-06,XX"坏行,990102005003,城市低保,某某')  # a stray quote
        r = list(base[i % len(base)])
        r[id_at] = _other_id(r[id_at], i)  # (nearly) every row another person
        for n, j in at.items():
            sums[n] += _number(r[j]) or 0.0
        out.append(r)
    total = ["合计"] + [None] * (len(src.columns) - 1)
    for n, j in at.items():
        total[j] = f"{sums[n]:.2f}" if n == "monthly_amount" else str(int(sums[n]))
    out.append(total)
    header = [c.zh for c in src.columns]
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    if fmt == "csv":
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\r\n")
            w.writerow(header)
            for r in out:
                if isinstance(r, str):
                    fh.write(r + "\r\n")
                else:
                    w.writerow(["" if c is None else c for c in r])
    else:
        import xlsxwriter

        numeric = {j for j, c in enumerate(src.columns) if c.kind.value in ("money", "count")}
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
        ws = wb.add_worksheet("Sheet1")
        for j, h in enumerate(header):
            ws.write_string(0, j, h)
        r_out = 1
        for r in out:
            if isinstance(r, str):
                continue  # a workbook has no stray quotes
            for j, c in enumerate(r):
                if c is None:
                    continue
                num = _number(c) if j in numeric and re.fullmatch(r"-?[0-9.]+", c) else None
                if num is not None:
                    ws.write_number(r_out, j, num)
                else:
                    ws.write_string(r_out, j, c)
            r_out += 1
        wb.close()
    os.replace(tmp, target)
    return target


class Parts:
    """CPU time (process, all threads) per part of stage 1, by wrapping the module
    functions that do it."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._stack: list[list[float]] = []

    def wrap(self, module, attr: str, label: str) -> None:
        fn = getattr(module, attr)

        def timed(*a, **k):
            self._stack.append([0.0])
            t0 = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                spent = time.process_time() - t0
                inner = self._stack.pop()[0]
                self.seconds[label] = self.seconds.get(label, 0.0) + spent - inner
                if self._stack:
                    self._stack[-1][0] += spent

        setattr(module, attr, timed)


PARTS = (  # (module, function, label); nested calls are subtracted from the caller
    ("ingest.cache", "read_file", "read (bytes -> grid of cell text)"),
    ("ingest.cache", "read_files", "read (bytes -> grid of cell text)"),
    ("ingest.cache", "locate_many", "layout + normalise cells (header, totals, clean_cells)"),
    ("ingest.stage1", "locate_many", "layout + normalise cells (header, totals, clean_cells)"),
    ("ingest.stage1", "check_parts", "checks (NFKC, parse, field rules, row rules)"),
    ("ingest.stage1", "part_totals", "total rows"),
    ("ingest.stage1", "add_hashes", "hashing (HMAC-SHA256 of ID numbers)"),
    ("ingest.stage1", "finish", "original-row JSON + output schema"),
)


def instrument() -> Parts:
    import importlib

    parts = Parts()
    for mod, attr, label in PARTS:
        m = importlib.import_module(mod)
        if hasattr(m, attr):
            parts.wrap(m, attr, label)
    return parts


# Approach (a) of issue 18, measured once before choosing: the roster's field rules as
# set-based SQL over DuckDB's own CSV reader, one thread. A probe of the cost, not a
# replacement: DuckDB has no NFKC (only ``nfc_normalize``), so full-width forms are mapped
# with ``translate`` (ASCII range and U+3000 only); messages are one fixed text per rule.
FULL = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
HALF = "".join(chr(c) for c in range(0x21, 0x7F)) + " "
PROBE_SQL = r"""
WITH raw AS (
  SELECT row_number() OVER () + 1 AS _row, * FROM read_csv($path, all_varchar = true,
    header = true, strict_mode = false, ignore_errors = true, null_padding = true)
), c AS (
  SELECT _row, COLUMNS(* EXCLUDE (_row)) FROM raw
), x AS (
  SELECT _row, "户编号" AS household_id, "户主姓名" AS head_name, "银行账号" AS bank_account,
    NULLIF(trim(nfkc_ascii(regexp_replace("发放月份", $invisible, '', 'g'))), '') AS month_t,
    NULLIF(trim(nfkc_ascii("区划代码")), '') AS region_t,
    NULLIF(lower(trim(nfkc_ascii("保障类型"))), '') AS program_t,
    NULLIF(upper(trim(nfkc_ascii("户主身份证号"))), '') AS id_t,
    NULLIF(trim(nfkc_ascii("家庭人口")), '') AS fam_t,
    NULLIF(trim(nfkc_ascii("保障人数")), '') AS cov_t,
    NULLIF(trim(nfkc_ascii("家庭月人均收入")), '') AS inc_t,
    NULLIF(trim(nfkc_ascii("月保障金额")), '') AS amt_t,
    NULLIF(trim(nfkc_ascii("临时补助金额")), '') AS tmp_t,
    to_json(struct_pack(COLUMNS(* EXCLUDE (_row)))) AS _original
  FROM c
), p AS (
  SELECT *,
    coalesce(try_strptime(month_t, '%Y-%m'), try_strptime(month_t, '%Y/%m'),
             try_strptime(month_t, '%Y%m'), try_strptime(month_t, '%Y年%m月'))::DATE AS month,
    CASE WHEN regexp_full_match(region_t, '[0-9]{12}') THEN region_t END AS region_code,
    CASE program_t WHEN '城市低保' THEN 'urban' WHEN '城市' THEN 'urban' WHEN 'urban' THEN 'urban'
      WHEN '农村低保' THEN 'rural' WHEN '农村' THEN 'rural' WHEN 'rural' THEN 'rural' END AS program,
    regexp_full_match(id_t, '[0-9]{17}[0-9X]') AS id18,
    TRY_CAST(regexp_extract(fam_t, '^([0-9]+)\s*(人|户)?$', 1) AS BIGINT) AS family_size,
    TRY_CAST(regexp_extract(cov_t, '^([0-9]+)\s*(人|户)?$', 1) AS BIGINT) AS covered_persons,
    money_value(inc_t) AS per_capita_income,
    money_value(amt_t) AS monthly_amount,
    money_value(tmp_t) AS temp_subsidy
  FROM x
), k AS (
  SELECT *,
    CASE WHEN id18 THEN
      (substr(id_t, 1, 1)::INT * 7 + substr(id_t, 2, 1)::INT * 9 + substr(id_t, 3, 1)::INT * 10
      + substr(id_t, 4, 1)::INT * 5 + substr(id_t, 5, 1)::INT * 8 + substr(id_t, 6, 1)::INT * 4
      + substr(id_t, 7, 1)::INT * 2 + substr(id_t, 8, 1)::INT * 1 + substr(id_t, 9, 1)::INT * 6
      + substr(id_t, 10, 1)::INT * 3 + substr(id_t, 11, 1)::INT * 7 + substr(id_t, 12, 1)::INT * 9
      + substr(id_t, 13, 1)::INT * 10 + substr(id_t, 14, 1)::INT * 5 + substr(id_t, 15, 1)::INT * 8
      + substr(id_t, 16, 1)::INT * 4 + substr(id_t, 17, 1)::INT * 2) END AS id_sum,
    try_strptime(substr(id_t, 7, 8), '%Y%m%d') AS birth
  FROM p
)
SELECT _row, month, household_id, region_code, program, head_name,
  CASE WHEN id18 THEN id_t END AS head_id_number,
  sha256($opad || unhex(sha256($ipad || encode(id_t)))) AS head_id_number_hash,
  family_size, covered_persons, per_capita_income, monthly_amount, bank_account, temp_subsidy,
  _original,
  CASE
    WHEN month_t IS NULL THEN 'missing_value'
    WHEN month IS NULL THEN 'invalid_date'
    WHEN household_id IS NULL THEN 'missing_value'
    WHEN region_code IS NULL THEN 'invalid_region'
    WHEN program IS NULL THEN 'invalid_code'
    WHEN NOT id18 OR birth IS NULL OR birth > DATE '2026-01-15'
      OR substr(id_t, 18, 1) <> substr('10X98765432', id_sum % 11 + 1, 1) THEN 'invalid_id'
    WHEN family_size IS NULL OR family_size < 1 THEN 'invalid_count'
    WHEN covered_persons IS NULL OR covered_persons < 1 THEN 'invalid_count'
    WHEN covered_persons > family_size THEN 'invalid_count'
    WHEN per_capita_income IS NULL OR per_capita_income < 0 THEN 'invalid_amount'
    WHEN monthly_amount IS NULL OR monthly_amount < 0 THEN 'invalid_amount'
    WHEN tmp_t IS NOT NULL AND (temp_subsidy IS NULL OR temp_subsidy < 0) THEN 'invalid_amount'
  END AS _err_reason
FROM k
"""


def probe_duckdb(path: Path, repeat: int) -> dict:
    """Approach (a): rows per CPU second of ``PROBE_SQL`` on the bench CSV (one thread)."""
    import duckdb

    key = (b"k" * 32).ljust(64, b"\0")
    params = {"path": str(path),
              "invisible": "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\x{200b}-\\x{200d}\\x{2060}\\x{feff}]",
              "ipad": bytes(b ^ 0x36 for b in key), "opad": bytes(b ^ 0x5C for b in key)}
    con = duckdb.connect()
    con.execute("SET threads = 1")
    # full-width forms mapped only in cells holding one (translate over every cell: 1.3 s
    # CPU per column of 200 k rows)
    con.execute(r"""CREATE MACRO money_value(s) AS TRY_CAST(replace(regexp_extract(
        s, '^¥?\s*([0-9,]*\.?[0-9]*)\s*元?$', 1), ',', '') AS DOUBLE)""")
    half = HALF.replace("'", "''")
    con.execute("CREATE MACRO nfkc_ascii(s) AS CASE WHEN regexp_matches(s, "
                f"'[\\x{{ff01}}-\\x{{ff5e}}\\x{{3000}}]') THEN translate(s, '{FULL}', '{half}') "
                "ELSE s END")
    runs = []
    for _ in range(repeat + 1):
        with cpu_clock() as t:
            table = con.sql(PROBE_SQL, params=params).to_arrow_table()
        runs.append(t)
    runs = runs[1:]  # the first run warms DuckDB up
    import polars as pl

    reasons = pl.from_arrow(table).group_by("_err_reason").len().sort("_err_reason").rows()
    cpu = statistics.median(r["cpu"] for r in runs)
    wall = statistics.median(r["wall"] for r in runs)
    return {"approach": "duckdb-sql probe", "rows": table.num_rows, "cpu_s": round(cpu, 3),
            "wall_s": round(wall, 3), "rows_per_cpu_s": round(table.num_rows / cpu),
            "reasons": {str(k): v for k, v in reasons},
            "loadavg": Path("/proc/loadavg").read_text().split()[:3]}


@contextmanager
def cpu_clock():
    got = {}
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    yield got
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    got["wall"] = time.perf_counter() - t0
    got["cpu"] = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def sample_files(repeat: int) -> dict:
    """Stage 1 of every 低保 roster file of the demo district sample: one file after the other
    (``parse_file`` each, as before issue 18's groups), and all of them as one group
    (``parse_files``: each file read and laid out alone, the cells of all checked in one
    pass), as a first load in process parses them."""
    import hashlib

    from ingest.cache import parse_file, parse_files
    from ingest.stage1 import Context

    ctx = Context(today=date(2026, 1, 15), key=b"k" * 32, catalogue={})
    files = [(p, p.read_bytes()) for p in sorted((sample_dir() / SOURCE).iterdir())]
    shas = [hashlib.sha256(d).hexdigest() for _, d in files]
    ways = {
        "one_by_one": lambda: sum(parse_file(SOURCE, p, d, sha, ctx)[1].rows_read
                                  for (p, d), sha in zip(files, shas, strict=True)),
        "grouped": lambda: sum(info.rows_read for _, info in parse_files(
            SOURCE, [(p, d, sha, None) for (p, d), sha in zip(files, shas, strict=True)], ctx)),
    }
    out: dict = {"files": len(files), "repeat": repeat}
    for name, run in ways.items():
        runs, rows = [], 0
        for k in range(repeat + 1):
            with cpu_clock() as t:
                rows = run()
            if k:  # the first round warms up (imports, regex compilation)
                runs.append(t)
        cpu = statistics.median(r["cpu"] for r in runs)
        out[name] = {"rows": rows, "cpu_s": round(cpu, 3),
                     "wall_s": round(statistics.median(r["wall"] for r in runs), 3),
                     "rows_per_cpu_s": round(rows / cpu),
                     "ms_per_file": round(1000 * cpu / len(files), 1),
                     "loadavg": Path("/proc/loadavg").read_text().split()[:3]}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="cProfile one more run, top 25")
    ap.add_argument("--out", type=Path, help="also write the JSON here")
    ap.add_argument("--probe-duckdb", action="store_true",
                    help="measure approach (a), the field rules as DuckDB SQL, instead (csv)")
    ap.add_argument("--sample-files", action="store_true",
                    help="instead: stage 1 of every roster file of the district sample as it "
                         "is (small files: the per-file cost), one by one and as one group")
    args = ap.parse_args(argv)

    path = build_file(args.rows, args.format)
    if args.probe_duckdb:
        text = json.dumps(probe_duckdb(path, args.repeat), ensure_ascii=False, indent=1)
        print(text)
        if args.out:
            args.out.write_text(text + "\n", encoding="utf-8")
        return 0
    if args.sample_files:
        text = json.dumps(sample_files(args.repeat), ensure_ascii=False, indent=1)
        print(text)
        if args.out:
            args.out.write_text(text + "\n", encoding="utf-8")
        return 0
    data = path.read_bytes()
    parts = instrument()
    import hashlib

    from ingest.cache import parse_file
    from ingest.stage1 import Context

    ctx = Context(today=date(2026, 1, 15), key=b"k" * 32, catalogue={})
    sha = hashlib.sha256(data).hexdigest()
    parse_file(SOURCE, path, data, sha, ctx)  # warm-up: imports, regex compilation
    runs, per_part = [], []
    for _ in range(args.repeat):
        parts.seconds.clear()
        with cpu_clock() as t:
            frame, info = parse_file(SOURCE, path, data, sha, ctx)
        runs.append(t)
        per_part.append(dict(parts.seconds))
    reasons = frame.group_by("_err_reason").len().sort("_err_reason").rows()
    wall = statistics.median(r["wall"] for r in runs)
    cpu = statistics.median(r["cpu"] for r in runs)
    result = {
        "file": path.name, "bytes": len(data), "rows": info.rows_read,
        "status": info.status, "reasons": {str(k): v for k, v in reasons},
        "repeat": args.repeat, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
        "rows_per_s_wall": round(info.rows_read / wall),
        "rows_per_cpu_s": round(info.rows_read / cpu),
        "parts_cpu_s": {k: round(statistics.median(p.get(k, 0.0) for p in per_part), 3)
                    for k in dict.fromkeys(k for p in per_part for k in p)},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
        "polars_threads": os.environ["POLARS_MAX_THREADS"],
    }
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        parse_file(SOURCE, path, data, sha, ctx)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
