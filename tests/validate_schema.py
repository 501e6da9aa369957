#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Validate records against datasets/schema.json (JSON Schema 2020-12).

usage: tests/validate_schema.py [--all-invalid] SCHEMA FILE...
Prints one line per invalid file (the first error and where) and exits 1
if any is invalid; with --all-invalid, exits 1 if any is valid.  Exit 4
(kselftest's skip) without python3-jsonschema.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed")
    sys.exit(4)

args = sys.argv[1:]
expect_invalid = args[:1] == ["--all-invalid"]
if expect_invalid:
    args = args[1:]
schema = json.load(open(args[0]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
valid = invalid = 0
for path in args[1:]:
    errors = sorted(validator.iter_errors(json.load(open(path))), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        where = "/".join(str(p) for p in e.path) or "(top)"
        print(f"# {path}: {len(errors)} error(s); first at {where}: {e.message[:200]}")
        invalid += 1
    else:
        if expect_invalid:
            print(f"# {path}: valid")
        valid += 1
sys.exit(1 if (valid if expect_invalid else invalid) else 0)
