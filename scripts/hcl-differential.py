#!/usr/bin/env python3
"""Compares plumb's HCL parser with python-hcl2 on a corpus: same module names, sources and versions,
then times both parsers on the same files. Run through scripts/hcl-differential.sh (it makes the venv).

Usage: hcl-differential.py PLUMB CORPUS_DIR"""
import json, os, subprocess, sys, time
import hcl2

plumb, corpus = sys.argv[1], sys.argv[2]
files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus) if f.endswith(".tf"))

def unquote(v):
    # python-hcl2 keeps string literals with their quotes in some versions
    if isinstance(v, str) and len(v) >= 2 and v[0] == '"' and v[-1] == '"':
        return v[1:-1]
    return v

theirs = {}
start = time.perf_counter()
for path in files:
    with open(path) as fh:
        doc = hcl2.load(fh)
    mods = []
    for block in doc.get("module", []):
        for name, body in block.items():
            mods.append((unquote(name), unquote(body.get("source")), unquote(body.get("version"))))
    theirs[path] = mods
python_seconds = time.perf_counter() - start

out = subprocess.run([plumb, "debug", "hcl-modules", *files], capture_output=True, text=True, check=True).stdout
ours = {}
errors = 0
for line in out.splitlines():
    rec = json.loads(line)
    if "error" in rec:
        errors += 1
        ours[rec["file"]] = None
        continue
    ours[rec["file"]] = [(m["name"], m["source"], m["version"]) for m in rec["modules"]]

same = sum(1 for f in files if ours.get(f) == theirs.get(f))
modules = sum(len(v) for v in theirs.values())
for f in files:
    if ours.get(f) != theirs.get(f):
        print(f"DIFFERENT {f}\n  plumb:       {ours.get(f)}\n  python-hcl2: {theirs.get(f)}")
        break
size = sum(os.path.getsize(f) for f in files) / 1e6
tp = subprocess.run([plumb, "debug", "hcl-throughput", "--repeat", "5", *files], capture_output=True, text=True, check=True).stdout.strip()
print(f"differential: {same}/{len(files)} files agree ({modules} modules; plumb syntax errors: {errors})")
print(f"python-hcl2: {size:.2f} MB in {python_seconds:.2f} s = {size / python_seconds:.2f} MB/s")
print(f"plumb:       {tp}")
plumb_rate = float(tp.split(" MB/s")[0].split()[-1])
print(f"plumb is {plumb_rate / (size / python_seconds):.0f}x python-hcl2 on the same files")
sys.exit(0 if same == len(files) else 1)
