"""The portal's ASGI application, sampled by `bench/sampler.py` when BENCH_PROFILE names a
directory (each process writes `<pid>.json` there): what bench/chat_load.py serves."""

import os
from pathlib import Path

from portal.asgi import application  # noqa: F401

if os.environ.get("BENCH_PROFILE"):
    from sampler import start

    start(Path(os.environ["BENCH_PROFILE"]) / f"{os.getpid()}.json")
