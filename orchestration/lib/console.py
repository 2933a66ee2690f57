"""What `zhibiao build` shows a person: a handful of lines, with the full event log in a file.

Dagster's console log (every event at DEBUG) and dbt's output go to a log file in the Dagster
instance instead of the terminal, by redirecting the process's own stdout and stderr file
descriptors for the run, so dbt's subprocess output is caught as well. `--verbose` shows it live.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

# What a step failure says, boiled down to what a person can act on.
_HINTS = (
    ("No space left on device", "the disk is full: free space and build again ({kept})"),
    ("Read-only file system", "the warehouse's file system is read-only: choose another --warehouse"),
    ("Permission denied", "permission denied: make the warehouse and its folder writable"),
)


# What a failed step leaves. The ingest step may have committed the reports it read before it
# failed copying the raw history: the next build makes the copy (its fingerprint differs from the
# newest copy's). A later step fails on a copy of the marts, never on the marts themselves.
INGEST_STEP = "raw_reports"
_KEPT_AFTER_INGEST = "what it committed stays; the next build makes what is missing"
_KEPT_BEFORE_INGEST = "the marts keep their previous state"


# The terminal's stderr while `output_to` sends the process's own to a log file: where a progress
# bar still reaches a person.
_terminal: TextIO | None = None


def terminal() -> TextIO:
    return _terminal or sys.stderr


def say(line: str) -> None:
    """One line about what a build is doing, on the terminal of a quiet `zhibiao build` only: with
    --verbose the full log says it, and a run from the UI or the daemon has its own event log."""
    if _terminal is not None:
        print(f"zhibiao: {line}", file=_terminal, flush=True)


@contextlib.contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int], Callable[[], None]]]:
    """A `progress(total)` for a loop that reports each step done: a bar on the terminal (tqdm),
    none when stderr is no terminal (a pipe, a file, a test) so nothing but the summary is printed."""
    from tqdm import tqdm

    bars = []

    def start(total: int) -> Callable[[], None]:
        stream = terminal()
        bar = tqdm(total=total, desc=description, unit="report", file=stream, leave=False,
                   disable=not stream.isatty())
        bars.append(bar)
        return lambda: bar.update(1)

    try:
        yield start
    finally:
        for bar in bars:
            bar.close()


@contextlib.contextmanager
def output_to(log_path: Path | None) -> Iterator[None]:
    """Send this process's (and its children's) stdout and stderr to `log_path` while inside;
    with None, leave them on the terminal."""
    if log_path is None:
        yield
        return
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    global _terminal
    saved = os.dup(1), os.dup(2)
    with open(log_path, "ab") as log, os.fdopen(os.dup(saved[1]), "w", buffering=1) as shown:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        _terminal = shown
        try:
            yield
        finally:
            _terminal = None
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def failure_lines(result: Any) -> list[str]:  # noqa: ANN401 - a Dagster ExecuteInProcessResult
    """One line per failed step: its key and what went wrong, without the traceback."""
    lines = []
    for event in result.get_step_failure_events():
        error = event.step_failure_data.error
        text = _innermost_message(error)
        hint = next((h for marker, h in _HINTS if marker in text), None)
        if hint:
            kept = _KEPT_AFTER_INGEST if event.step_key == INGEST_STEP else _KEPT_BEFORE_INGEST
            hint = hint.format(kept=kept)
        lines.append(f"step {event.step_key} failed: {hint or text}")
    return lines


def _innermost_message(error: Any) -> str:  # noqa: ANN401 - a Dagster SerializableErrorInfo
    messages = []
    while error is not None:
        messages.append(error.message.strip())
        error = error.cause
    full = " | ".join(messages)
    if any(marker in full for marker, _ in _HINTS):
        return full
    # The innermost error's own first line (its message, not a traceback's source excerpt).
    lines = [line.strip() for line in (messages[-1] if messages else "").splitlines()
             if any(ch.isalnum() for ch in line)]
    return lines[0][:300] if lines else "unknown error"
