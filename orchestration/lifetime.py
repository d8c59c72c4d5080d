"""A child process that dies with its parent (issue 16, defect 1; issue 18).

The dbt a run starts (`cli/dbt_child.py`) and the release's second process
(`release/background.py`) must not outlive a run that is killed: an orphan would keep
writing the warehouse, or hold ≈ 500 MB for nothing. `die_with_parent` lives in
`ingest.parallel` (one home: the parse workers need it too, and ingest does not import
orchestration).
"""

from ingest.parallel import die_with_parent  # noqa: F401 - given here for orchestration


def end_child(process, conn=None, grace: float = 0) -> None:
    """End a `multiprocessing` child: wait up to `grace` seconds for it to return, else kill
    it; then release it and close our end of its pipe (`conn`, if given)."""
    if process is not None:
        process.join(timeout=grace)
        if process.is_alive():
            process.kill()
            process.join()
        process.close()
    if conn is not None:
        conn.close()
