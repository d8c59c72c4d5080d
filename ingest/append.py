"""Loading only the files a source gained since its last load (an added month).

A source may be appended to instead of rebuilt when everything its earlier rows were judged
against is unchanged: the same parse settings, the same dependency states, and every file of
the last load still present with the same paths and arrival time. Only the new files' rows
go through stage 2. Duplicates are the one rule that looks across rows: a new row may share
its key with a row loaded earlier (or with earlier rows already set aside as duplicates), so
those earlier rows are judged again together with the new ones, and moved between
``raw.<source>`` and ``raw.quarantine`` if their verdict changes (e.g. a new file sorts
before an old one and now holds the first copy). Everything else stays as it was.

A source whose dependencies changed is appended to as well when each of them only *gained*
rows since the source's last load (its state row records that it was appended to, from the
state the source saw, and that no earlier loaded row left its table: ``grown_from``) and
every rule the source has against other sources asks only that a value exist there
(``Source.reasons_judged_again_on_growth``). Such a rule passes every row it passed before;
only the rows set aside for it may now pass, so they are judged again, with the new files'
rows, and everything else stays as it was (an added month's roster no longer rebuilds the
3 M 低保 members of a province: docs/ingest.md).
"""

from __future__ import annotations

import json

import duckdb

from ingest import stage2
from ingest.contract import SOURCES
from ingest.warehouse import q

DUPLICATE_REASONS = ("duplicate_row", "conflicting_duplicate")


def grown_dependencies(con: duckdb.DuckDBPyConnection, previous: dict | None,
                       current: dict) -> set[str]:
    """The dependencies whose state differs from what ``previous`` (the source's last load)
    saw only by gained rows: their state row's ``grown_from`` is the state seen then."""
    seen, now = (previous or {}).get("deps") or {}, current["deps"]
    out = set()
    for dep in now:
        if seen.get(dep) == now[dep] or len(seen.get(dep) or ()) != 1:
            continue
        rows = con.execute("SELECT detail FROM raw.source_state WHERE source = ?",
                           [dep]).fetchall()
        detail = state_detail(rows[0][0]) if rows else None
        if detail and detail.get("grown_from") == seen[dep][0]:
            out.add(dep)
    return out


def plan(source: str, previous: dict | None, current: dict,
         grown: set[str] = frozenset()) -> list[str] | None:
    """The shas to append, or None when the source must be rebuilt (or [] = no new file).

    ``grown``: the dependencies that only gained rows (``grown_dependencies``); a change of
    any other dependency, or of one the source's rules may not take as grown, rebuilds."""
    src = SOURCES[source]
    if not src.appendable or not previous:
        return None
    if any(previous.get(k) != current[k] for k in ("v", "tag")):
        return None
    seen = previous.get("deps") or {}
    changed = {d for d in set(seen) | set(current["deps"]) if seen.get(d) != current["deps"].get(d)}
    if changed and (src.reasons_judged_again_on_growth is None or not changed <= set(grown)):
        return None
    before = {sha: (paths, arrival) for sha, paths, arrival in previous.get("files", [])}
    now = {sha: (paths, arrival) for sha, paths, arrival in current["files"]}
    if any(now.get(sha) != facts for sha, facts in before.items()):
        return None  # a file was removed, renamed, replaced or re-delivered
    return sorted(set(now) - set(before))


def run_sql(con: duckdb.DuckDBPyConnection, src, new: list[str], old: dict[str, str],
            again: tuple[str, ...] = ()) -> bool:
    """Stage 2 for the parquet files ``new`` and for the earlier rows set aside for one of
    the reasons ``again``; earlier rows sharing a key with them are judged again.

    ``old`` maps the shas of the earlier files to their cached parquet. Leaves ``_ing_f``
    (the verdicts of the new rows and of the earlier rows judged again), ``_ing_a`` (the
    earlier rows judged again: their old verdict must be removed before writing) and
    ``_ing_was`` (those of them that were loaded, for ``lost_loaded_rows``). Returns False
    when there is no row to judge (only ``_ing_again``, the pipeline's to drop, is left).
    """
    key = stage2._key(src)
    cols = ", ".join(q(k) for k in key)
    # (none to look for in a plain append: no scan of the quarantine)
    con.execute("CREATE OR REPLACE TEMP TABLE _ing_again AS SELECT file_sha256 AS sha, "
                "row_id AS rid FROM raw.quarantine WHERE " + (
                    "source = ? AND row_number IS NOT NULL AND list_contains(?, reason)"
                    if again else "false"), [src.name, list(again)] if again else [])
    redo_shas = [s for (s,) in con.execute("SELECT DISTINCT sha FROM _ing_again ORDER BY 1"
                                           ).fetchall() if s in old]
    redo = [old[s] for s in redo_shas]
    # a set-aside row of a file that is not an earlier one is not judged, so it stays as is
    con.execute("DELETE FROM _ing_again WHERE NOT list_contains(?, sha)", [redo_shas])
    if not new and not redo:
        return False
    # of the earlier files, only the rows set aside for a reason of `again` are judged
    listed = ", ".join(f"'{s}'" for s in redo_shas)  # hex digests: nothing to escape
    stage2.judge_rows(con, src, new + redo, where=(
        f"p._file_sha256 NOT IN ({listed}) OR EXISTS (SELECT 1 FROM _ing_again a WHERE "
        f"a.sha = p._file_sha256 AND a.rid = p._rid)") if redo else "")
    # keys of the new rows that pass every row rule: only they can meet an earlier row
    con.execute(f"CREATE OR REPLACE TEMP TABLE _ing_k AS SELECT DISTINCT {cols} FROM _ing_r "
                f"WHERE _e IS NULL")
    on = " AND ".join(f"t.{q(k)} IS NOT DISTINCT FROM k.{q(k)}" for k in key)
    # earlier rows that passed the row rules: loaded, or set aside as duplicates (for a
    # monthly source, whose key holds the month, only those of the new rows' months)
    same_month = (" AND month IN (SELECT month FROM _ing_k)" if "month" in key else "")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _ing_o AS "
        f"SELECT t._file_sha256 AS sha, t._rid AS rid, true AS loaded FROM raw.{q(src.name)} t "
        f"SEMI JOIN _ing_k k ON {on} "
        f"UNION SELECT file_sha256, row_id, false FROM raw.quarantine WHERE source = ? AND "
        f"reason IN {DUPLICATE_REASONS} AND row_number IS NOT NULL{same_month}", [src.name])
    shas = [r[0] for r in con.execute("SELECT DISTINCT sha FROM _ing_o").fetchall()]
    touched = [old[s] for s in shas if s in old]
    if touched:
        stage2.rows_view(con, "_ing_po", touched)
        pos = ", ".join(f"t.{q('_pos_' + c.name)}" for c in src.columns)
        keys = ", ".join(f"t.{q(k)}" for k in key)
        con.execute(
            f"INSERT INTO _ing_r (_file_sha256, _rid, _source_file, _file_ord, _row_number, {cols}, "
            f"{', '.join(q('_pos_' + c.name) for c in src.columns)}) "
            f"SELECT t._file_sha256, t._rid, t._source_file, t._file_ord, t._row_number, {keys}, "
            f"{pos} "
            f"FROM _ing_po t SEMI JOIN _ing_o o ON t._file_sha256 = o.sha AND "
            f"t._rid = o.rid SEMI JOIN _ing_k k ON {on}")
        # the wide rows of all, for the duplicate comparison of whole rows
        stage2.rows_view(con, "_ing_p", new + redo + [p for p in touched if p not in redo])
    con.execute("CREATE OR REPLACE TEMP TABLE _ing_a AS SELECT _file_sha256, _rid FROM "
                "_ing_r WHERE _file_sha256 IN (SELECT sha FROM _ing_o) UNION SELECT sha, rid "
                "FROM _ing_again")
    # the loaded ones among them: those `_ing_o` found in raw.<source> (every one of them
    # is judged again: it shares a key with a passing row of `_ing_r`)
    con.execute("CREATE OR REPLACE TEMP TABLE _ing_was AS SELECT sha AS _file_sha256, "
                "rid AS _rid FROM _ing_o WHERE loaded")
    for sql in stage2.dedupe_sql(src):
        con.execute(sql)
    return True


def drop_rejudged(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """Remove the old verdicts of the earlier rows judged again (rows of ``_ing_a``)."""
    con.execute(f"DELETE FROM raw.{q(source)} t USING _ing_a a WHERE t._file_sha256 = "
                f"a._file_sha256 AND t._rid = a._rid")
    con.execute("DELETE FROM raw.quarantine t USING _ing_a a WHERE t.source = ? AND "
                "t.file_sha256 = a._file_sha256 AND t.row_id = a._rid", [source])


def lost_loaded_rows(con: duckdb.DuckDBPyConnection) -> int:
    """How many earlier loaded rows judged again are set aside by their new verdict
    (``_ing_f``; 0: the source only gained rows, which a dependent source may take as
    ``grown_from``)."""
    return con.execute("SELECT count(*) FROM _ing_was w JOIN _ing_f f ON f._file_sha256 = "
                       "w._file_sha256 AND f._rid = w._rid WHERE f._final IS NOT NULL"
                       ).fetchone()[0]


def counts(con: duckdb.DuckDBPyConnection, source: str) -> dict[str, tuple[int, int]]:
    """sha -> (rows loaded, rows quarantined), counted from the tables."""
    rows = con.execute(
        f"SELECT coalesce(l.sha, r.sha), coalesce(l.n, 0), coalesce(r.n, 0) FROM "
        f"(SELECT _file_sha256 AS sha, count(*) AS n FROM raw.{q(source)} GROUP BY 1) l "
        f"FULL JOIN (SELECT file_sha256 AS sha, count(*) AS n FROM raw.quarantine WHERE "
        f"source = ? AND row_number IS NOT NULL GROUP BY 1) r ON l.sha = r.sha",
        [source]).fetchall()
    return {sha: (int(loaded), int(quarantined)) for sha, loaded, quarantined in rows}


def state_detail(raw: str | None) -> dict | None:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None
