#!/usr/bin/env python3
"""Runs one command repeatedly and prints the median wall time and the peak
resident memory of the runs.

  measure_cli.py --spawner SPAWN_MEASURE [--runs R] [--warmup W] [--json] -- COMMAND [ARGS...]

SPAWN_MEASURE is tests/bench/spawn_measure (built by `make bench`): it forks
the command from a small process, so that the peak (ru_maxrss, which counts
the memory of the forking process) is the command's own, and times it.

Output: "median 2.41 ms  min 2.30 ms  max 3.02 ms  peak 6.1 MiB  (R runs)", or
with --json one object {"median_ms", "min_ms", "max_ms", "peak_rss_mib",
"runs", "exit"}. stdout and stderr of the command are discarded; a run that
exits with a code other than the others fails the measurement.
"""
import argparse
import json
import statistics
import subprocess
import sys


def measure(spawner, argv, runs=21, warmup=3):
    """A dict of the figures of `runs` runs after `warmup` unmeasured ones,
    all run back to back by the spawner."""
    proc = subprocess.run([spawner, "-n", str(warmup + runs)] + argv, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = proc.stderr.splitlines()
    if proc.returncode != 0 or len(lines) != warmup + runs:
        raise RuntimeError("%s failed: %s" % (spawner, proc.stderr.strip()))
    walls, peaks, codes = [], [], set()
    for line in lines[warmup:]:
        wall_ns, peak_kib, code = (int(f) for f in line.split())
        walls.append(wall_ns / 1e6)
        peaks.append(peak_kib)
        codes.add(code)
    if len(codes) != 1:
        raise RuntimeError("%s: the runs exited with different codes %s"
                           % (" ".join(argv), sorted(codes)))
    first_exit = codes.pop()
    return {
        "median_ms": statistics.median(walls),
        "min_ms": min(walls),
        "max_ms": max(walls),
        "peak_rss_mib": max(peaks) / 1024.0,
        "runs": runs,
        "exit": first_exit,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spawner", required=True)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")
    m = measure(args.spawner, command, args.runs, args.warmup)
    if args.json:
        print(json.dumps(m))
    else:
        print("median %.2f ms  min %.2f ms  max %.2f ms  peak %.1f MiB  (%d runs, exit %d)"
              % (m["median_ms"], m["min_ms"], m["max_ms"], m["peak_rss_mib"], m["runs"],
                 m["exit"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
