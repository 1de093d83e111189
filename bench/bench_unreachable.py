"""How soon `--executor dask://` gives up on a scheduler nobody runs, against the timeout asked.

    .venv/bin/python bench/bench_unreachable.py [--timeouts 1 5 10]

For each connection timeout, a DaskExecutor is opened on a port of 127.0.0.1 that nothing
listens on (bound and closed just before) and the seconds until its ClusterError are
measured. Printed side by side: the timeout, the seconds it took, and their ratio (about 1
means the error comes when promised; distributed's own retries would show as a ratio well
above it). Was a unit test's `< 30 s` assertion (tests/test_cluster.py keeps the error).
"""

from __future__ import annotations

import argparse
import socket
import time

from audiobook.audio.executor import DaskExecutor
from audiobook.errors import ClusterError


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeouts", type=float, nargs="+", default=[1.0, 5.0, 10.0])
    args = parser.parse_args()
    print(f"{'timeout s':>10} {'gave up after s':>16} {'ratio':>6}")
    for timeout in args.timeouts:
        started = time.monotonic()
        try:
            DaskExecutor(f"dask://127.0.0.1:{free_port()}", timeout=timeout)
        except ClusterError:
            pass
        else:
            raise SystemExit("a scheduler answered on a port nothing should listen on")
        took = time.monotonic() - started
        print(f"{timeout:>10.1f} {took:>16.2f} {took / timeout:>6.2f}")


if __name__ == "__main__":
    main()
