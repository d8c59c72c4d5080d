"""`civstat prepare` (orchestration/defs/project.py `prepare_manifest`): two prepares at the
same time (two commands on a checkout without `make setup`) parse once; the second waits
for the first's manifest instead of writing the same files beside it."""

import threading
import time
from types import SimpleNamespace

from orchestration.defs import project, resources


def test_two_prepares_at_once_parse_once(tmp_path, monkeypatch):
    target = tmp_path / "target"
    target.mkdir()
    fake_project = SimpleNamespace(manifest_path=target / "manifest.json", target_path=target)
    monkeypatch.setattr(project, "dbt_project", lambda: fake_project)
    parses = []

    class SlowParse:  # dbt's parse as the resource runs it: a while, then the manifest
        def __init__(self, project_dir, dbt_executable):
            pass

        def cli(self, args, target_path):
            parses.append(args)
            time.sleep(0.5)
            (target_path / "manifest.json").write_text("{}")
            return SimpleNamespace(wait=lambda: None)

    monkeypatch.setattr(resources, "CivstatDbtCli", SlowParse)
    first = threading.Thread(target=project.prepare_manifest)
    first.start()
    time.sleep(0.1)  # the second comes while the first parses
    assert project.prepare_manifest() == target / "manifest.json"
    first.join()
    assert parses == [["parse", "--quiet"]]
