#!/usr/bin/env python3
"""The README as typed: runs every command block marked runnable and compares what it prints.

  run_readme.py README BUILD_DIR SOURCE_DIR SHARED_DIR

Conventions of README.md:
  <!-- runnable -->            before a ```sh block: its commands are run, one `bash -c` each, in a
                               scratch directory where build/, scenarios/, tests/ and examples/ are
                               the project's and ../shared is shared/ (so outputs land there, and the
                               paths read as they do from a clone's root).
  <!-- file: NAME -->          before a fenced block: its text is written to NAME in the scratch
                               directory first (a scenario file a later block runs, say).
  # expected line              right after a command: a line it must print (stdout and stderr
                               together), in this order, not necessarily adjacent. "..." matches
                               anything; wall times (wall=N, wall_s=N) are not compared.
A command may not exit with 2 (bad input or usage) unless an expected line shows the error. A
trailing "   # comment" on a command line is a comment, not output.

Every scenario file the README shows (a file block that validates and scripts faults) is also run
under seeds 1..40, and none of its scripted faults may be skipped: an example whose faults silently
do not happen would teach the wrong thing.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

readme, build, source, shared = sys.argv[1:5]


def blocks(text):
    """Yields (marker, fence info, body lines, line number) for each marked fenced block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"<!-- (runnable|file: (\S+)) -->$", lines[i].strip())
        if m and i + 1 < len(lines) and lines[i + 1].startswith("```"):
            start = i + 2
            end = start
            while not lines[end].startswith("```"):
                end += 1
            yield (m.group(2) or "runnable"), lines[start:end], start + 1
            i = end
        i += 1


def commands(body):
    """Groups a block's lines into (command, expected lines), joining continued lines."""
    out = []
    for line in body:
        if line.startswith("# "):
            if not out:
                raise SystemExit(f"expected output before any command: {line}")
            out[-1][1].append(line[2:])
        elif line.strip() == "" or line.startswith("#"):
            continue
        elif out and out[-1][0].endswith("\\"):
            out[-1][0] = out[-1][0][:-1] + " " + line.strip()
        else:
            out.append([line, []])
    return [(re.sub(r"\s{2,}#.*$", "", c).strip(), e) for c, e in out]


def normalized(line):
    return re.sub(r"\b(wall|wall_s)=[0-9.]+", r"\1=?", line.rstrip())


def matches(expected, actual):
    pattern = ".*".join(re.escape(part) for part in normalized(expected).split("..."))
    return re.fullmatch(pattern, normalized(actual)) is not None


def check(command, expected, cwd, where):
    run = subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=600)
    printed = (run.stdout + run.stderr).split("\n")
    at = 0
    for want in expected:
        while at < len(printed) and not matches(want, printed[at]):
            at += 1
        if at == len(printed):
            return f"{where}: `{command}` did not print (in order):\n  {want}\nit printed:\n  " + "\n  ".join(printed[:60])
        at += 1
    shows_error = any("error" in e for e in expected)
    if run.returncode == 2 and not shows_error:
        return f"{where}: `{command}` exited 2 (bad input or usage):\n  " + "\n  ".join(printed[:20])
    return None


def scripted_faults_all_run(name, cwd, where):
    try:
        doc = json.load(open(os.path.join(cwd, name), encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or not doc.get("faults"):
        return None
    for seed in range(1, 41):
        run = subprocess.run(["build/stormlog", "run", name, "--seed", str(seed)], cwd=cwd, capture_output=True,
                             text=True, timeout=600)
        if run.returncode == 2:
            return None  # an example of a bad file
        skipped = [line for line in run.stdout.split("\n") if line.startswith("skipped:")]
        if skipped:
            return f"{where}: {name} under seed {seed} skips a fault it scripts:\n  " + "\n  ".join(skipped)
    return None


def main():
    text = open(readme, encoding="utf-8").read()
    scratch = tempfile.mkdtemp(prefix="stormlog-readme-")
    root = os.path.join(scratch, "clone")
    os.makedirs(root)
    os.symlink(os.path.abspath(build), os.path.join(root, "build"))
    for d in ("scenarios", "tests", "examples"):
        os.symlink(os.path.join(os.path.abspath(source), d), os.path.join(root, d))
    os.symlink(os.path.abspath(shared), os.path.join(scratch, "shared"))
    failures, ran = [], 0
    for marker, body, line in blocks(text):
        if marker != "runnable":
            with open(os.path.join(root, marker), "w", encoding="utf-8") as f:
                f.write("\n".join(body) + "\n")
            problem = scripted_faults_all_run(marker, root, f"README.md:{line}")
            if problem:
                failures.append(problem)
            continue
        for command, expected in commands(body):
            ran += 1
            print(f"README.md:{line}: {command}", flush=True)
            problem = check(command, expected, root, f"README.md:{line}")
            if problem:
                failures.append(problem)
    print(f"{ran} README commands run, {len(failures)} failed")
    for f in failures:
        print("FAILED: " + f)
    if ran == 0:
        print("FAILED: no runnable block found")
        return 1
    return 1 if failures else 0


sys.exit(main())
