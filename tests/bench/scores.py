#!/usr/bin/env python3
"""The two real-text benchmarks of the number checks, with floors CI enforces.

Runs ../shared/realbench/score.py (published passages with one number changed: recall and
false-alarm files) and ../shared/fa-corpus/findings.py (7.7 MB of published text: number
findings per MB) against a built binary, prints their summary lines, and fails when a score is
worse than its floor below. Raise the floors as the checks improve; never lower them to pass.

usage: tests/bench/scores.py [--bin target/release/baocao-ls]
"""
import argparse
import pathlib
import re
import subprocess
import sys

# Floors (ratchet: raise when the scores improve).
MIN_FOUND_PERCENT = 90          # realbench: expected findings found, development half
MAX_FALSE_ALARM_PERCENT = 1.0  # realbench: clean files with a number finding
MAX_FINDINGS_PER_MB = 0.5      # fa-corpus: number findings per MB of published text (issue 9 target)

root = pathlib.Path(__file__).resolve().parents[2]
shared = root.parent / "shared"


def run(script, binary):
    out = subprocess.run([sys.executable, str(script), "--bin", binary], cwd=root, capture_output=True, text=True, timeout=600)
    line = (out.stdout.strip().splitlines() or [""])[-1]
    print(line)
    if out.returncode not in (0, 1) or not line:
        print(out.stderr, file=sys.stderr)
        sys.exit(f"{script.name} failed (exit {out.returncode})")
    return line


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=str(root / "target/release/baocao-ls"))
    args = parser.parse_args()
    if not (shared / "realbench" / "score.py").exists():
        print(f"skipped: {shared} is not beside the repository (the benchmarks live there)")
        return
    problems = []
    line = run(shared / "realbench" / "score.py", args.bin)
    m = re.search(r"found (\d+)/(\d+) .*false-alarm files (\d+)/(\d+)", line)
    if not m:
        sys.exit(f"cannot read the realbench summary: {line}")
    found, expected, alarms, clean = map(int, m.groups())
    if 100 * found < MIN_FOUND_PERCENT * expected:
        problems.append(f"realbench recall {found}/{expected} is below the floor of {MIN_FOUND_PERCENT} %")
    if 100 * alarms > MAX_FALSE_ALARM_PERCENT * clean:
        problems.append(f"realbench false-alarm files {alarms}/{clean} are above the ceiling of {MAX_FALSE_ALARM_PERCENT} %")
    line = run(shared / "fa-corpus" / "findings.py", args.bin)
    m = re.search(r"\(([\d.]+)/MB", line)
    if not m:
        sys.exit(f"cannot read the fa-corpus summary: {line}")
    if float(m.group(1)) > MAX_FINDINGS_PER_MB:
        problems.append(f"fa-corpus {m.group(1)} number findings per MB are above the ceiling of {MAX_FINDINGS_PER_MB}")
    for p in problems:
        print("FAIL:", p)
    if problems:
        sys.exit(1)
    print("benchmark floors: all met")


if __name__ == "__main__":
    main()
