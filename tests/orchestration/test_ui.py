"""`civstat ui` serves the same definitions on loopback, and runs still work while it is up."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from orchestration.cli.main import EXIT_BUSY, EXIT_OK, main

CIVSTAT = Path(sys.executable).parent / "civstat"
REGIONS = """区划代码,名称,层级,上级代码,城乡分类代码,常住人口,户籍人口
990102000000,样例区,区县,,,,
990102001000,东街道,乡镇街道,990102000000,,,
990102001001,东一社区,村居,990102001000,111,5000,4800
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(port: int, query: str) -> dict:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:  # a loaded 2-core CI box is slow
        return json.loads(r.read())


@pytest.fixture
def ui(tmp_path, dbt_manifest):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    (inbox / "regions").mkdir(parents=True)
    (inbox / "regions" / "regions.csv").write_text(REGIONS, encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen(
        [str(CIVSTAT), "ui", "--inbox", str(inbox), "--warehouse", str(warehouse),
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "PATH": f"{CIVSTAT.parent}:{os.environ['PATH']}"})
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2)
            break
        except OSError:
            assert proc.poll() is None, proc.stdout.read().decode(errors="replace")
            time.sleep(1)
    else:
        pytest.fail("the Dagster webserver did not answer within 120 s")
    yield port, inbox, warehouse
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    assert proc.poll() is not None


def test_webserver_lists_assets_and_a_run_succeeds_meanwhile(ui):
    port, inbox, warehouse = ui
    # the server answers before its code location has loaded: until then it lists no asset
    deadline, keys = time.time() + 120, set()
    while not keys and time.time() < deadline:
        data = graphql(port, "{ assetNodes { assetKey { path } } }")
        keys = {"/".join(n["assetKey"]["path"]) for n in data["data"]["assetNodes"]}
        if not keys:
            time.sleep(1)
    assert {"raw/dibao_households", "fct_indicators", "release"} <= keys
    # the instance is the warehouse's own
    info = graphql(port, "{ instance { info } }")
    assert str(warehouse / "dagster") in json.dumps(info)
    # the webserver never opens the warehouse: a run can write it while the UI is up. The
    # inbox sensor (running from the start) may have launched its own ingest of this inbox:
    # then the warehouse is busy (exit 3, one run at a time) until that run ends
    deadline = time.time() + 180
    while (rc := main(["ingest", "--inbox", str(inbox), "--warehouse", str(warehouse)])) \
            == EXIT_BUSY and time.time() < deadline:
        time.sleep(2)
    assert rc == EXIT_OK
    runs = graphql(port, '{ runsOrError { ... on Runs { results { status } } } }')
    assert "SUCCESS" in json.dumps(runs)
