"""A sampling profiler for a daphne under load: every thread's stack every few
milliseconds, no dependency, little overhead. `start()` in the server (see
`sampled_asgi.py`); `report()` in the benchmark merges what the servers wrote.

Busy samples only: a thread waiting in the reactor's poll, on a lock or on the database
thread's queue is idle. "self" is where a busy sample's innermost frame was (by package);
"inclusive" counts each of the project's functions once per sample it was on the stack.
A busy sample is wall time (a thread waiting on PostgreSQL's answer is busy); the CPU
profile weighs each sample by the CPU its thread used since the one before (the thread's
clock ticks in /proc), so waits weigh nothing there.
"""

import json
import os
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


def _ticks(native_id: int) -> int:
    try:
        fields = Path(f"/proc/self/task/{native_id}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def start(path: Path, interval: float = 0.005) -> None:
    own: list[int] = []
    busy, idle = Counter(), Counter()
    self_time, inclusive = Counter(), Counter()
    cpu_self, cpu_inclusive = Counter(), Counter()
    ticks_seen: dict[int, int] = {}

    def run() -> None:
        own.append(threading.get_ident())
        last_dump = time.monotonic()
        # Counting starts when the benchmark says the measured traffic starts (the "start"
        # file beside the profile): not the handshakes and the first catch-ups.
        begin, stop = path.parent / "start", path.parent / "stop"
        while not begin.exists():
            time.sleep(0.05)
        mine = threading.get_native_id()
        own_from = _ticks(mine)
        while True:
            time.sleep(interval)
            stopped = stop.exists()
            native = {t.ident: t.native_id for t in threading.enumerate()}
            for ident, frame in sys._current_frames().items():
                if ident in own:
                    continue
                ticks = _ticks(native.get(ident, 0))
                used = ticks - ticks_seen.get(ident, ticks)
                ticks_seen[ident] = ticks
                where = (Path(frame.f_code.co_filename).name, frame.f_code.co_name)
                cpu_self["ticks"] += used
                if where in IDLE:
                    idle["samples"] += 1
                    continue
                busy["samples"] += 1
                self_time[_package(frame.f_code.co_filename)] += 1
                cpu_self[_package(frame.f_code.co_filename)] += used
                seen = set()
                while frame is not None:
                    if frame.f_code.co_filename.startswith(ROOT) and "site-packages" not in (
                        frame.f_code.co_filename
                    ):
                        seen.add(_name(frame))
                    frame = frame.f_back
                inclusive.update(seen)
                for name in seen:
                    cpu_inclusive[name] += used
            if stopped or time.monotonic() - last_dump > 2:
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
                            "cpu_self": cpu_self,
                            "cpu_inclusive": cpu_inclusive,
                            # Its own thread's CPU (the benchmark takes it out of the
                            # chat's): the last dump, once the benchmark says it stopped.
                            "sampler_ticks": _ticks(mine) - own_from,
                            "stopped": stopped,
                        }
                    )
                )
                partial.replace(path)
                if stopped:
                    return

    threading.Thread(target=run, name="sampler", daemon=True).start()


def sampler_seconds(directory: Path, wait: float = 5.0) -> float:
    """The CPU seconds the samplers' own threads used until the "stop" file (waits for
    every process's last dump)."""
    deadline = time.monotonic() + wait
    while True:
        dumps = [json.loads(f.read_text()) for f in directory.glob("*.json")]
        if all(d.get("stopped") for d in dumps) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    return sum(d.get("sampler_ticks", 0) for d in dumps) / os.sysconf("SC_CLK_TCK")


def report(directory: Path, top: int = 14) -> str:
    busy = 0
    self_time, inclusive = Counter(), Counter()
    cpu_self, cpu_inclusive = Counter(), Counter()
    for file in directory.glob("*.json"):
        data = json.loads(file.read_text())
        busy += data["busy"]
        self_time.update(data["self"])
        inclusive.update(data["inclusive"])
        cpu_self.update(data.get("cpu_self", {}))
        cpu_inclusive.update(data.get("cpu_inclusive", {}))
    if not busy:
        return "profile: no samples"
    lines = []
    ticks = cpu_self.pop("ticks", 0)
    if ticks:
        seconds = ticks / os.sysconf("SC_CLK_TCK")
        lines += [f"Where the chat's daphnes used CPU ({seconds:.1f} CPU-s sampled):", ""]
        lines.append("innermost frame, by package        share of CPU")
        for name, count in cpu_self.most_common(top):
            lines.append(f"  {name:<40} {100 * count / ticks:5.1f} %")
        waiting = ticks - sum(cpu_self.values())
        lines.append(f"  {'(sampled in a poll or a wait)':<40} {100 * waiting / ticks:5.1f} %")
        lines += ["", "project functions on the stack     share of CPU"]
        for name, count in cpu_inclusive.most_common(top):
            lines.append(f"  {name:<40} {100 * count / ticks:5.1f} %")
        lines.append("")
    lines += [f"Where the chat's daphnes were busy ({busy} samples of every thread):", ""]
    lines.append("innermost frame, by package        share of busy samples")
    for name, count in self_time.most_common(top):
        lines.append(f"  {name:<40} {100 * count / busy:5.1f} %")
    lines += ["", "project functions on the stack     share of busy samples"]
    for name, count in inclusive.most_common(top):
        lines.append(f"  {name:<40} {100 * count / busy:5.1f} %")
    return "\n".join(lines)
