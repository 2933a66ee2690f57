"""What a person sees of a build: a progress bar on a terminal, nothing extra anywhere else."""

from __future__ import annotations

import os

from orchestration.lib import console


def run_bar(monkeypatch, stream) -> None:
    monkeypatch.setattr(console, "_terminal", stream)
    with console.progress_bar("extracting") as progress:
        advance = progress(3)
        for _ in range(3):
            advance()


def test_a_terminal_gets_a_progress_bar_over_the_reports(monkeypatch):
    master, replica = os.openpty()
    with os.fdopen(replica, "w", buffering=1) as stream:
        run_bar(monkeypatch, stream)
    shown = os.read(master, 65536).decode()
    os.close(master)
    assert "extracting:" in shown and "/3 [" in shown  # the bar counts the reports to extract


def test_a_pipe_or_file_gets_no_bar(monkeypatch, tmp_path):
    with (tmp_path / "stderr.txt").open("w") as stream:
        run_bar(monkeypatch, stream)
    assert (tmp_path / "stderr.txt").read_text() == ""
