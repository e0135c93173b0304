#!/usr/bin/python3
"""Checks deploy/k8s/ without a cluster (kubectl's dry run needs an API server): every file
parses as YAML, every object has apiVersion/kind/metadata.name, and the load shards and their
merge fit together: an Indexed Job whose completions, parallelism and ONSHI_SHARDS agree, each
pod running `onshi-hil load --shard ${JOB_COMPLETION_INDEX}/${ONSHI_SHARDS}` into the shared
claim, and a merge Job reading that same claim. Prints what is wrong and exits 1."""
import pathlib
import sys

import yaml

problems = []


def check(condition, what):
    if not condition:
        problems.append(what)


def pod_spec(job):
    return job["spec"]["template"]["spec"]


folder = pathlib.Path(sys.argv[1])
objects = {}
for path in sorted(folder.glob("*.yaml")):
    for doc in yaml.safe_load_all(path.read_text()):
        if doc is None:
            continue
        for key in ("apiVersion", "kind"):
            check(key in doc, f"{path.name}: an object without {key}")
        name = doc.get("metadata", {}).get("name")
        check(bool(name), f"{path.name}: a {doc.get('kind')} without metadata.name")
        objects[(doc.get("kind"), name)] = (path.name, doc)

shards = objects.get(("Job", "onshi-load-shards"), (None, None))[1]
merge = objects.get(("Job", "onshi-load-merge"), (None, None))[1]
claim = objects.get(("PersistentVolumeClaim", "onshi-load-results"), (None, None))[1]
check(shards is not None, "no Job onshi-load-shards")
check(merge is not None, "no Job onshi-load-merge")
check(claim is not None, "no PersistentVolumeClaim onshi-load-results")
if shards is not None:
    spec = shards["spec"]
    check(spec.get("completionMode") == "Indexed", "onshi-load-shards: completionMode must be Indexed")
    check(spec.get("completions") == spec.get("parallelism"), "onshi-load-shards: completions != parallelism")
    pod = pod_spec(shards)
    check(pod.get("restartPolicy") == "Never", "onshi-load-shards: restartPolicy must be Never")
    container = pod["containers"][0]
    env = {e["name"]: e.get("value") for e in container.get("env", [])}
    check(env.get("ONSHI_SHARDS") == str(spec.get("completions")), "ONSHI_SHARDS must equal completions")
    command = " ".join(container.get("command", []) + container.get("args", []))
    check("onshi-hil load" in command, "the shard pods must run onshi-hil load")
    check('--shard "${JOB_COMPLETION_INDEX}/${ONSHI_SHARDS}"' in command, "each pod needs --shard INDEX/N")
    check("/results/shard-${JOB_COMPLETION_INDEX}" in command, "each shard writes /results/shard-INDEX")
    claims = [v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"] if "persistentVolumeClaim" in v]
    check(claims == ["onshi-load-results"], "the shards must write onto claim onshi-load-results")
if claim is not None:
    check("ReadWriteMany" in claim["spec"].get("accessModes", []), "the results claim must be ReadWriteMany")
if merge is not None:
    pod = pod_spec(merge)
    command = " ".join(pod["containers"][0].get("command", []) + pod["containers"][0].get("args", []))
    check("onshi-hil report merge /results/shard-*" in command, "the merge Job must run report merge over the shards")
    claims = [v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"] if "persistentVolumeClaim" in v]
    check(claims == ["onshi-load-results"], "the merge must read claim onshi-load-results")

for p in problems:
    print(f"deploy/k8s: {p}")
sys.exit(1 if problems else 0)
