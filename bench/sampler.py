"""A sampling profiler for a daphne under load: every thread's stack every few
milliseconds, no dependency, little overhead. `start()` in the server (see
`sampled_asgi.py`); `report()` in the benchmark merges what the servers wrote.

Busy samples only: a thread waiting in the reactor's poll, on a lock or on the database
thread's queue is idle. "self" is where a busy sample's innermost frame was (by package);
"inclusive" counts each of the project's functions once per sample it was on the stack.
"""

import json
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)
IDLE = {
    ("epollreactor.py", "doPoll"),
    ("pollreactor.py", "doPoll"),
    ("selectors.py", "select"),
    ("threading.py", "wait"),
    ("queue.py", "get"),
    ("thread.py", "_worker"),
    ("sampler.py", "run"),
}


def _package(filename: str) -> str:
    if "site-packages/" in filename:
        parts = filename.split("site-packages/", 1)[1].split("/")
        return ".".join(p for p in parts[:2] if not p.endswith(".py")) or parts[0]
    if filename.startswith(ROOT):
        parts = filename[len(ROOT) + 1 :].split("/")
        return ".".join(parts[:-1] + [parts[-1].removesuffix(".py")])
    return "python:" + Path(filename).stem


def _name(frame) -> str:
    return f"{_package(frame.f_code.co_filename)}.{frame.f_code.co_name}"


def start(path: Path, interval: float = 0.005) -> None:
    own: list[int] = []
    busy, idle = Counter(), Counter()
    self_time, inclusive = Counter(), Counter()

    def run() -> None:
        own.append(threading.get_ident())
        last_dump = time.monotonic()
        # Counting starts when the benchmark says the measured traffic starts (the "start"
        # file beside the profile): not the handshakes and the first catch-ups.
        begin = path.parent / "start"
        while not begin.exists():
            time.sleep(0.05)
        while True:
            time.sleep(interval)
            for ident, frame in sys._current_frames().items():
                if ident in own:
                    continue
                where = (Path(frame.f_code.co_filename).name, frame.f_code.co_name)
                if where in IDLE:
                    idle["samples"] += 1
                    continue
                busy["samples"] += 1
                self_time[_package(frame.f_code.co_filename)] += 1
                seen = set()
                while frame is not None:
                    if frame.f_code.co_filename.startswith(ROOT) and "site-packages" not in (
                        frame.f_code.co_filename
                    ):
                        seen.add(_name(frame))
                    frame = frame.f_back
                inclusive.update(seen)
            if time.monotonic() - last_dump > 2:
                last_dump = time.monotonic()
                # Written aside and renamed: a reader never sees half a file.
                partial = path.with_suffix(".part")
                partial.write_text(
                    json.dumps(
                        {
                            "busy": busy["samples"],
                            "idle": idle["samples"],
                            "self": self_time,
                            "inclusive": inclusive,
                        }
                    )
                )
                partial.replace(path)

    threading.Thread(target=run, name="sampler", daemon=True).start()


def report(directory: Path, top: int = 14) -> str:
    busy = 0
    self_time, inclusive = Counter(), Counter()
    for file in directory.glob("*.json"):
        data = json.loads(file.read_text())
        busy += data["busy"]
        self_time.update(data["self"])
        inclusive.update(data["inclusive"])
    if not busy:
        return "profile: no samples"
    lines = [f"Where the chat's daphnes were busy ({busy} samples of every thread):", ""]
    lines.append("innermost frame, by package        share of busy samples")
    for name, count in self_time.most_common(top):
        lines.append(f"  {name:<40} {100 * count / busy:5.1f} %")
    lines += ["", "project functions on the stack     share of busy samples"]
    for name, count in inclusive.most_common(top):
        lines.append(f"  {name:<40} {100 * count / busy:5.1f} %")
    return "\n".join(lines)
