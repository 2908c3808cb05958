"""Read a py-spy profile of `rekap run` (raw format, `--subprocesses`) by process role and function.

    python -m bench.profil /tmp/rekap-bench/cli/profil-running-klon-300.txt [--top 25]

py-spy writes one line per distinct stack, `frame;frame;...;frame count`, the processes as frames of
their own (`process PID:"command line"`), a child's under its parent's. Each stack is put under the role
of its innermost process: the command itself, a fork of it (the warm worker, the report pool), the
readers' fork server and its workers, Prefect's temporary server. Per role it prints the samples in
seconds (py-spy's default 100 a second; threads it sees idle are left out, so this is mostly CPU time, but
some waits, in `select` or `Condition.wait`, are counted and show under those names), rekap-ke's own
functions with the most samples under them (inclusive) and any function with the most in it (self).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from pathlib import Path

RATE = 100  # py-spy record's default samples per second
_PROCESS = re.compile(r'^process (\d+):"(.*)"$', re.S)
# Frames are separated by ";", which a process's quoted command line may hold too (`-c "import a; a()"`).
_OURS = re.compile(r"\((rekap|flows|tasks)/[^)]*\)$")
_FRAME = re.compile(r'process \d+:"[^"]*"|[^;]+')


def role(processes: list[str]) -> str:
    """What a process is, from the command lines of it and its ancestors."""
    command = processes[-1]
    if "multiprocessing.forkserver" in command:
        return "readers (fork server and its workers)"
    if "multiprocessing.resource_tracker" in command:
        return "multiprocessing's resource tracker"
    if "uvicorn" in command:
        return "Prefect temporary server"
    if "rekap" in command and "run" in command:
        return "rekap run" if len(processes) == 1 else "fork of rekap run (warm worker, report pool)"
    return command[:60]


def _function(frame: str) -> str:
    """`func (file:line)` as `func (file)`: samples of one function, whatever the line."""
    return re.sub(r":\d+\)$", ")", frame)


def summarize(path: Path, top: int = 25) -> str:
    """The profile's samples by role, and per role its heaviest functions (inclusive and self)."""
    samples: Counter[str] = Counter()
    inclusive: dict[str, Counter[str]] = defaultdict(Counter)
    own: dict[str, Counter[str]] = defaultdict(Counter)
    text = path.read_text(encoding="utf-8", errors="replace")
    # A frame never holds a newline except in a process's command line, so a stack ends at `count\n`.
    for found in re.finditer(r"(.*?) (\d+)\n", text, re.S):
        stack, count = _FRAME.findall(found.group(1)), int(found.group(2))
        processes = [m.group(2) for f in stack if (m := _PROCESS.match(f))]
        frames = [_function(f) for f in stack if not _PROCESS.match(f)]
        who = role(processes) if processes else "?"
        samples[who] += count
        for function in {f for f in frames if _OURS.search(f)}:
            inclusive[who][function] += count
        if frames:
            own[who][frames[-1]] += count
    lines = [f"{path.name}: {sum(samples.values()) / RATE:.1f} s of samples"]
    for who, n in samples.most_common():
        lines.append(f"\n{who}: {n / RATE:.1f} s")
        lines.append("  inclusive (rekap-ke's own functions, with all they call):")
        lines += [f"    {c / RATE:7.2f} s  {f}" for f, c in inclusive[who].most_common(top)]
        lines.append("  self (any function, without what it calls):")
        lines += [f"    {c / RATE:7.2f} s  {f}" for f, c in own[who].most_common(top)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """`python -m bench.profil FILE`."""
    parser = argparse.ArgumentParser(prog="python -m bench.profil", description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=25, help="functions shown per role (default 25)")
    args = parser.parse_args(argv)
    print(summarize(args.profile, args.top))


if __name__ == "__main__":
    main()
