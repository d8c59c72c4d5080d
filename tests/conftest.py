"""Shared fixtures: the dbt manifest is prepared once per session (never at import time), and
the demo district's inbox and its 2025H1 warehouse are built once per session for every
end-to-end test that would otherwise generate or run the very same thing again.

`district_inbox` and `district_h1` are read only: a test that changes files or runs
`civstat run` again copies them first (`shutil.copytree(warehouse, to, symlinks=True)`: a
copy takes a second or two, a run of the district about 90 s on the 2-core box).
"""

import os
from pathlib import Path

import pytest

DISTRICT = {"scale": "district", "seed": 7, "faults": "some", "year": 2025}
PERIOD = "2025H1"


@pytest.fixture(scope="session")
def dbt_manifest():
    from orchestration.defs.project import prepare_manifest
    from orchestration.settings import QUIET_ENV

    os.environ.update(QUIET_ENV)
    return prepare_manifest()


@pytest.fixture(scope="session")
def defs(dbt_manifest):
    from orchestration.definitions import defs

    return defs


@pytest.fixture(scope="session")
def district_inbox(tmp_path_factory) -> tuple[Path, dict]:
    """(inbox, planted): `civstat sample --scale district --seed 7 --faults some --year 2025`,
    what `make demo` publishes. Read only."""
    from ingest.sample import generate

    inbox = tmp_path_factory.mktemp("district") / "inbox"
    return inbox, generate(inbox, **DISTRICT)


@pytest.fixture(scope="session")
def district_h1(district_inbox, dbt_manifest, tmp_path_factory) -> tuple[Path, int]:
    """(warehouse, exit code) after one `civstat run --period 2025H1` from scratch over
    `district_inbox`, published by 测试员. Read only: copy it to run again."""
    from orchestration.cli.main import main

    warehouse = tmp_path_factory.mktemp("district_h1") / "warehouse"
    code = main(["run", "--inbox", str(district_inbox[0]), "--warehouse", str(warehouse),
                 "--period", PERIOD, "--published-by", "测试员"])
    return warehouse, code

