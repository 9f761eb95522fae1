#!/usr/bin/env python3
"""Writes a synthetic estate's plumb outputs for proof-report load tests: findings (plumb/findings@1),
adoption (plumb/adoption@1), pins (plumb/pins@1) and a manifest, for N repositories. Deterministic (seeded).

usage: proof-sample.py OUT_DIR [--repos 2000] [--periods 12] [--seed 7]
"""
import argparse
import hashlib
import json
import os
import random

CATEGORIES = ["ownership", "runbooks", "pinning", "templates", "versioning"]
RULES = [
    ("ownership/codeowners-missing", "error", None, "no CODEOWNERS file (looked at CODEOWNERS, .github/, .gitlab/, docs/)"),
    ("ownership/unowned-files", "warning", ".github/CODEOWNERS", "3 of 41 files have no owner in .github/CODEOWNERS"),
    ("ownership/pattern-matches-nothing", "warning", ".github/CODEOWNERS", 'pattern "/services/old/" matches no file'),
    ("runbook/missing", "error", None, "service repository (it has a Dockerfile) has no runbook"),
    ("runbook/missing-section", "warning", "RUNBOOK.md", 'runbook RUNBOOK.md has no "escalation" section'),
    ("runbook/stale", "note", "RUNBOOK.md", "runbook last changed 212 days and 48 commits before the code"),
    ("pins/module-unpinned", "error", "infra/main.tf", 'module "vpc" uses registry source terraform-aws-modules/vpc/aws without a version'),
    ("pins/action-unpinned", "warning", ".github/workflows/ci.yml", "actions/checkout@v4 is not pinned to a full commit id"),
    ("pins/image-unpinned", "warning", "Dockerfile", "image python has no tag, so it pulls whatever latest is today"),
    ("pins/module-outdated", "note", "infra/main.tf", 'module "vpc" pins 4.0.2, behind 6.0.0'),
    ("template/drift", "note", ".copier-answers.yml", "template version 1.4.0 is behind 2.1.0"),
    ("tags/not-semver", "warning", None, "release tag release-7 is not semver"),
    ("tags/breaking-without-major", "error", None, "release v2.3.0 breaks the root module's interface without a major bump from v2.2.0: variable size added without a default"),
    ("tags/missing-changelog", "note", "CHANGELOG.md", "the changelog does not mention v1.4.0"),
    ("waiver/unused", "note", ".plumb.yml", "waiver for runbook/missing owned by team-x matches no finding; remove it"),
]
TEAMS = ["payments", "identity", "platform", "data", "web", "mobile", "search", "billing", "infra", "growth"]
AUTHORS = ["Ann Example", "Bob Builder", "Chen Li", "Dana Ops", "Eve Admin", "Femi Okafor"]


def sha(text):
    return hashlib.sha1(text.encode()).hexdigest()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--repos", type=int, default=2000)
    parser.add_argument("--periods", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    os.makedirs(options.out, exist_ok=True)

    names = [f"svc-{index:04d}" for index in range(options.repos)]
    repositories, manifest, adoption_repositories = [], [], []
    for name in names:
        head = sha(name)
        unreadable = rng.random() < 0.005
        findings = []
        if not unreadable:
            for rule, severity, path, message in rng.sample(RULES, rng.choice([0, 0, 1, 2, 3, 4, 5, 8])):
                commit_sha = sha(name + rule)
                evidence = {}
                if rule == "tags/breaking-without-major":
                    evidence = {"from_tag": "v2.2.0", "to_tag": "v2.3.0", "module": ""}
                if rule == "waiver/unused":
                    evidence = {"rule": "runbook/missing", "owner": "team-x", "expires": "2027-01-31", "paths": [],
                                "repositories": [], "reason": None, "declared_in": ".plumb.yml:2", "matched": 0}
                findings.append({
                    "rule": rule, "severity": severity, "message": message, "path": path,
                    "line": rng.randint(1, 80) if path else None, "fingerprint": sha(name + rule + "fp"),
                    "commit": {"sha": commit_sha, "author": rng.choice(AUTHORS), "email": "dev@acme.test",
                               "time": f"2026-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}T10:00:00Z",
                               "summary": "change " + commit_sha[:6]},
                    "evidence": evidence,
                })
        repositories.append({
            "path": f"estate/{name}", "name": name, "head": None if unreadable else head,
            "ref": None if unreadable else "refs/heads/main", "status": "error" if unreadable else "ok",
            **({"error": "repository is empty (no commits)"} if unreadable else {}),
            "findings": findings,
        })
        manifest.append(f"  - {{path: estate/{name}, team: {rng.choice(TEAMS)}, tier: {rng.randint(1, 3)}}}")

    periods = [f"2026-{month:02d}" for month in range(1, options.periods + 1)]
    estate_series = []
    for index, period in enumerate(periods):
        existing = int(options.repos * (0.6 + 0.4 * (index + 1) / len(periods)))
        passing = {c: int(existing * min(0.95, 0.35 + 0.05 * index + 0.1 * position))
                   for position, c in enumerate(CATEGORIES)}
        estate_series.append({
            "period": period, "repositories": existing, "passing": passing,
            "share": {c: round(passing[c] / existing, 4) for c in CATEGORIES},
            "findings": {c: (existing - passing[c]) * 2 for c in CATEGORIES},
        })
    for name in names:
        adoption_repositories.append({
            "name": name, "path": f"estate/{name}", "head": sha(name), "status": "ok", "error": None,
            "team": None, "tier": None, "series": [],
            "adopted": {c: None for c in CATEGORIES}, "regressions": [],
            "delivery": {"releases": rng.randint(0, 30), "releases_per_month": round(rng.random() * 3, 2),
                         "lead_time_days": {"median": round(rng.random() * 10, 1), "p90": round(rng.random() * 40, 1)},
                         "patch_share": round(rng.random(), 2), "last_release": "v1.2.3",
                         "days_since_last_release": rng.randint(0, 200), "unreleased_commits": rng.randint(0, 40)},
            "maturity": rng.choice([None, "bronze", "silver", "gold"]),
        })
    adoption = {
        "schema": "plumb/adoption@1", "tool": {"name": "plumb", "version": "0.1.0"},
        "run": {"policy_hash": "synthetic", "since": "2026-01-01", "every": "month", "generated": "2026-12-15"},
        "categories": CATEGORIES,
        "periods": [{"label": p, "start": p + "-01", "end": p + "-28"} for p in periods],
        "estate": {
            "series": estate_series, "adopted": {c: estate_series[-1]["passing"][c] - 10 for c in CATEGORIES},
            "regressions": 37,
            "delivery": {"releases": 4211, "releases_per_month": 351.0, "lead_time_days": {"median": 4.5, "p90": 31.0},
                         "patch_share": 0.41, "last_release": None, "days_since_last_release": 12,
                         "unreleased_commits": 18000},
            "maturity": {"levels": ["bronze", "silver", "gold"],
                         "distribution": {"none": options.repos // 4, "bronze": options.repos // 4,
                                          "silver": options.repos // 4, "gold": options.repos - 3 * (options.repos // 4)}},
        },
        "repositories": adoption_repositories,
    }
    sources = [("module", f"terraform-aws-modules/{m}/aws") for m in ("vpc", "eks", "rds", "s3-bucket", "iam")]
    sources += [("action", a) for a in ("actions/checkout", "actions/setup-go", "docker/build-push-action")]
    sources += [("image", i) for i in ("python", "node", "golang", "gcr.io/distroless/base")]
    pins, rollup = [], []
    for kind, source in sources:
        consumers = rng.sample(names, min(len(names), rng.randint(len(names) // 10, len(names) // 2)))
        versions = {}
        for consumer in consumers:
            version = f"{rng.choice([3, 4, 5, 6])}.{rng.randint(0, 9)}.0"
            versions[version] = versions.get(version, 0) + 1
            pins.append({"kind": kind, "source": source, "raw": source, "version": version, "ref": None,
                         "status": ["pinned"], "repository": consumer, "path": "main.tf", "line": 1,
                         "name": source.split("/")[-1], "problems": []})
        behind = sorted(c for c in consumers if rng.random() < 0.3)
        rollup.append({"kind": kind, "source": source, "versions": versions, "consumers": sorted(consumers),
                       "newest": "6.9.0", "consumers_behind_major": behind})
    documents = {
        "findings.json": {"schema": "plumb/findings@1", "tool": {"name": "plumb", "version": "0.1.0"},
                          "repositories": repositories, "summary": {},
                          "run": {"policy_hash": "synthetic", "pack": "default", "revision": None}},
        "adoption.json": adoption,
        "pins.json": {"schema": "plumb/pins@1", "pins": pins, "rollup": rollup, "unreadable": []},
    }
    for file, document in documents.items():
        with open(os.path.join(options.out, file), "w") as handle:
            json.dump(document, handle)
    with open(os.path.join(options.out, "estate.yml"), "w") as handle:
        handle.write("repositories:\n" + "\n".join(manifest) + "\n")


if __name__ == "__main__":
    main()
