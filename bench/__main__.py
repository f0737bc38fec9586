"""Run benchmarks: ``python -m bench [NAME ...] [--scale small|full] [--list]``."""

from __future__ import annotations

import argparse
import fnmatch
import sys

from bench.harness import discover, run_isolated, save


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmarks or glob patterns (default: all)")
    parser.add_argument("--scale", choices=["small", "full"], default="full")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args()
    registry = discover()
    patterns = args.names or ["*"]
    chosen = [name for name in sorted(registry) if any(fnmatch.fnmatch(name, p) for p in patterns)]
    if args.list:
        print("\n".join(sorted(registry)))
        return 0
    if not chosen:
        print(f"no benchmark matches {patterns}", file=sys.stderr)
        return 2
    for name in chosen:
        print(f"== {name} ({args.scale})", flush=True)
        metrics = run_isolated(name, args.scale)
        for key, value in sorted(metrics.items()):
            print(f"   {key}: {value}")
        save(name, metrics)
    return 0


if __name__ == "__main__":
    sys.exit(main())
