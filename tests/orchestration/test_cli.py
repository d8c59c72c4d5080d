"""Usage errors: a message naming what is wrong, exit 1, no traceback."""

import pytest

from orchestration.cli.main import EXIT_ERROR, main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "--inbox", "{missing}", "--warehouse", "{tmp}/w", "--period", "2025H1"],
         "inbox folder not found"),
        (["run", "--inbox", "{tmp}", "--warehouse", "{tmp}/w", "--period", "2025H3"],
         "invalid period '2025H3'"),
        (["waive", "--warehouse", "{tmp}/w", "--period", "2025H1", "--check", "nope",
          "--reason", "r", "--by", "b"], "unknown check 'nope'"),
        (["waive", "--warehouse", "{tmp}/w", "--period", "2025H1", "--check",
          "files_rejected", "--reason", "  ", "--by", "b"], "needs a reason"),
    ],
)
def test_usage_errors(tmp_path, capsys, argv, message):
    argv = [a.format(tmp=tmp_path, missing=tmp_path / "nope") for a in argv]
    assert main(argv) == EXIT_ERROR
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "w" / "waivers.jsonl").exists()
