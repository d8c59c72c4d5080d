"""Shared fixtures: the dbt manifest is prepared once per session (never at import time)."""

import os

import pytest


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
