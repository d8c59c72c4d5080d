import pytest

from ingest.sample import generate


@pytest.fixture(scope="session")
def inbox_some(district_inbox):
    """`generate(out, faults="some")` with every other argument at its default: the demo
    district, which tests/conftest.py generates once for the end-to-end tests too."""
    return district_inbox


@pytest.fixture(scope="session")
def inbox_none(tmp_path_factory):
    out = tmp_path_factory.mktemp("inbox_none")
    return out, generate(out, seed=7, faults="none")


def _read_all(out, planted):
    from sample_readback import tables

    rejected = {r["path"] for r in planted["rejected_files"]}
    return {s: tables(out, s, skip=rejected) for s in planted["rows"]}


@pytest.fixture(scope="session")
def read_some(inbox_some):
    return _read_all(*inbox_some)


@pytest.fixture(scope="session")
def read_none(inbox_none):
    return _read_all(*inbox_none)
