#!/usr/bin/env python3
"""k8s_command_parses.py STORMLOG SOURCE_DIR: the Kubernetes manifests run commands stormlog takes.

For each index i of deploy/k8s/suite-job.yaml's Indexed Job, runs the container's command as the
pod would (JOB_COMPLETION_INDEX=i, the container's env, `stormlog` on PATH) with a `stormlog` that
is the real binary plus --dry-run, and checks: exit 0, `PLAN ... shard=i+1/M` with M = completions,
and --report inside the volume mounted from the manifest's ReadWriteMany claim. Runs merge-job.yaml's
command the same way (recorded, not run) and checks it names shard-1..shard-M of the same
directory. Checks that every manifest's image is the tag deploy/Containerfile's recipe builds and
the README shows. Prints each failure; exits 1 if any.
"""
import os
import re
import stat
import subprocess
import sys
import tempfile

import yaml

stormlog, source = os.path.abspath(sys.argv[1]), sys.argv[2]
k8s = os.path.join(source, "deploy", "k8s")
failures = []


def fail(message):
    failures.append(message)
    print("FAILED: " + message)


def load(name):
    with open(os.path.join(k8s, name)) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def only(docs, pred, what):
    found = [d for d in docs if pred(d)]
    if len(found) != 1:
        sys.exit(f"FAILED: want exactly one {what}, found {len(found)}")
    return found[0]


def container_env(c):
    """The container's env as the pod sees it (literal values and requests.cpu)."""
    env = {}
    for e in c.get("env", []):
        if "value" in e:
            env[e["name"]] = str(e["value"])
        elif e.get("valueFrom", {}).get("resourceFieldRef", {}).get("resource") == "requests.cpu":
            # The downward API rounds cores up to a whole number (divisor 1).
            cpu = str(c["resources"]["requests"]["cpu"])
            env[e["name"]] = str(-(-int(cpu[:-1]) // 1000) if cpu.endswith("m") else int(cpu))
        else:
            fail(f"{c['name']}: env {e['name']}: a source this test cannot resolve")
    return env


def run_pod(c, extra_env, wrapper):
    """Runs the container's command with `stormlog` = WRAPPER; returns (exit, stdout, args)."""
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "bin"))
        shim = os.path.join(tmp, "bin", "stormlog")
        with open(shim, "w") as f:
            f.write(wrapper.format(args=os.path.join(tmp, "args"), real=stormlog))
        os.chmod(shim, stat.S_IRWXU)
        env = {"PATH": os.path.join(tmp, "bin") + ":/usr/bin:/bin"}
        env.update(container_env(c))
        env.update(extra_env)
        p = subprocess.run(c["command"] + c.get("args", []), env=env, capture_output=True, text=True)
        args = open(os.path.join(tmp, "args")).read().split("\0")[:-1] if os.path.exists(
            os.path.join(tmp, "args")) else []
        return p.returncode, p.stdout + p.stderr, args


# Records its arguments (NUL-separated), then runs the real binary with --dry-run appended.
DRY_RUN = '#!/bin/sh\nprintf "%s\\0" "$@" > {args}\nexec {real} "$@" --dry-run\n'
# Records its arguments and runs nothing (for the merge: its command line is checked here).
RECORD = '#!/bin/sh\nprintf "%s\\0" "$@" > {args}\n'
# Runs nothing and exits with a given status: what the pod makes of stormlog's exit codes.
EXITS = '#!/bin/sh\nexit {code}\n'


def check_exit_codes(what, c, extra_env):
    """1 (the suite ran, some run failed) completes the pod; 2 (refused input) fails it."""
    for code, want in ((0, 0), (1, 0), (2, 2)):
        got, output, _ = run_pod(c, extra_env, EXITS.replace("{code}", str(code)))
        if got != want:
            fail(f"{what}: stormlog exiting {code} ends the pod with {got}, want {want}: {output}")


def mounts(pod_spec, c):
    """mountPath -> claimName for the container's volumes that are claims."""
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"]
              for v in pod_spec.get("volumes", []) if "persistentVolumeClaim" in v}
    return {m["mountPath"]: claims[m["name"]] for m in c.get("volumeMounts", []) if m["name"] in claims}


def flag(args, name):
    return args[args.index(name) + 1] if name in args and args.index(name) + 1 < len(args) else None


suite_docs = load("suite-job.yaml")
pvc = only(suite_docs, lambda d: d["kind"] == "PersistentVolumeClaim", "PersistentVolumeClaim")
if "ReadWriteMany" not in pvc["spec"]["accessModes"]:
    fail(f"claim {pvc['metadata']['name']} is not ReadWriteMany: pods on several nodes write to it")
job = only(suite_docs, lambda d: d["kind"] == "Job", "Job in suite-job.yaml")
spec = job["spec"]
if spec.get("completionMode") != "Indexed":
    fail("the suite Job is not completionMode: Indexed (no JOB_COMPLETION_INDEX)")
m = int(spec["completions"])
if not 1 <= int(spec.get("parallelism", 1)) <= m:
    fail(f"parallelism {spec.get('parallelism')} is not within 1..{m}")
pod = spec["template"]["spec"]
suite_c = pod["containers"][0]
suite_mounts = mounts(pod, suite_c)
out_dirs = set()
for i in range(m):
    code, output, args = run_pod(suite_c, {"JOB_COMPLETION_INDEX": str(i)}, DRY_RUN)
    want = f"shard={i + 1}/{m}"
    plan = [line for line in output.splitlines() if line.startswith("PLAN ")]
    if code != 0 or len(plan) != 1 or not plan[0].endswith(" " + want):
        fail(f"index {i}: want exit 0 and PLAN ... {want}; got exit {code}: {output.strip()}")
        continue
    print(f"index {i}: {plan[0]}")
    report = flag(args, "--report") or ""
    where = [p for p in suite_mounts if report.startswith(p.rstrip("/") + "/")]
    if not where or suite_mounts[where[0]] != pvc["metadata"]["name"]:
        fail(f"index {i}: --report {report!r} is not on the claim {pvc['metadata']['name']}")
    if os.path.basename(report) != f"shard-{i + 1}":
        fail(f"index {i}: --report {report!r} is not .../shard-{i + 1}")
    out_dirs.add(os.path.dirname(report))
check_exit_codes("suite pod", suite_c, {"JOB_COMPLETION_INDEX": "0"})

# The merge reads the directory the shards were written to, all M of them, by name.
merge_job = only(load("merge-job.yaml"), lambda d: d["kind"] == "Job", "Job in merge-job.yaml")
merge_pod = merge_job["spec"]["template"]["spec"]
merge_c = merge_pod["containers"][0]
code, output, args = run_pod(merge_c, {}, RECORD)
out = next(iter(out_dirs), "?")
want = ["merge"] + [f"{out}/shard-{k}" for k in range(1, m + 1)] + ["--out", f"{out}/merged", "--force"]
if code != 0 or args != want:
    fail(f"merge: want `stormlog {' '.join(want)}`, got exit {code} `stormlog {' '.join(args)}` {output}")
else:
    print(f"merge: stormlog {' '.join(args)}")
check_exit_codes("merge pod", merge_c, {})
if set(mounts(merge_pod, merge_c).items()) != set(suite_mounts.items()):
    fail("merge-job.yaml mounts another volume or path than suite-job.yaml")

# Exit 2 (refused input) fails each Job at once; 1 never reaches Kubernetes (the pod maps it to 0).
for name, j, c in (("suite-job.yaml", job, suite_c), ("merge-job.yaml", merge_job, merge_c)):
    rules = [r for r in j["spec"].get("podFailurePolicy", {}).get("rules", [])
             if r.get("action") == "FailJob" and "onExitCodes" in r]
    if [(r["onExitCodes"]["containerName"], r["onExitCodes"]["operator"], r["onExitCodes"]["values"])
            for r in rules] != [(c["name"], "In", [2])]:
        fail(f"{name}: want one FailJob rule on exit code 2 of container {c['name']}, got {rules}")

# One image name: the tag the Containerfile's recipe builds, in every manifest and in the README.
recipe = re.compile(r"(?:docker|podman) build -f deploy/Containerfile -t (\S+) \.")
with open(os.path.join(source, "deploy", "Containerfile")) as f:
    tags = set(recipe.findall(f.read()))
with open(os.path.join(source, "README.md")) as f:
    readme_tags = set(recipe.findall(f.read()))
if len(tags) != 1:
    fail(f"deploy/Containerfile documents {len(tags)} build tags, want one: {tags}")
tag = next(iter(tags), None)
if readme_tags != {tag}:
    fail(f"README builds {readme_tags or 'no image'}, the Containerfile {tag}")
for name in sorted(os.listdir(k8s)):
    for doc in load(name):
        template = doc.get("spec", {}).get("template", {}).get("spec") or doc.get("spec", {})
        for c in template.get("containers", []):
            if c["image"] != tag:
                fail(f"{name}: container {c['name']} runs image {c['image']}, the Containerfile builds {tag}")
print(f"image: {tag}")
sys.exit(1 if failures else 0)
