"""Runs `rasa test core` on every test story file here (tracking, support flows) and fails with Rasa's report."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ops.servers import BOT_BIN, MODEL, ROOT

STORIES = Path(__file__).parent  # every *_stories.yml in this folder


def test_rasa_test_stories_pass(tmp_path: Path):
    rasa = str(BOT_BIN / "rasa")
    args = ["test", "core", "--stories", str(STORIES), "--model", str(MODEL), "--out", str(tmp_path), "--no-plot"]
    result = subprocess.run(
        [rasa, *args],
        cwd=ROOT,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    failed = (tmp_path / "failed_test_stories.yml").read_text()
    assert "None of the test stories failed" in failed, failed
