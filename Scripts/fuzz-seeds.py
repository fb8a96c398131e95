#!/usr/bin/env python3
"""Seeds for the fuzz targets from the external vectors (../shared/vectors), written to
OUT/<target>/<name>; never committed (the vectors stay outside the project).

usage: fuzz-seeds.py VECTORS OUT"""
import base64, json, os, pathlib, re, sys, zlib

vectors, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
count = {}

def seed(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = out / target
    folder.mkdir(parents=True, exist_ok=True)
    n = count.get(target, 0)
    count[target] = n + 1
    (folder / f"vector-{n}").write_bytes(data)

def load(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None

if not vectors.is_dir():
    sys.exit(0)
b45 = load(vectors / "base45/rfc9285.json") or {}
for group in ("encode", "decode", "invalid"):
    for case in b45.get(group, []):
        seed("base45", case["base45"])
for case in load(vectors / "cbor/appendix_a.json") or []:
    seed("cbor", bytes.fromhex(case["hex"]))
for path in sorted((vectors / "dcc").rglob("*.json")):
    case = load(path)
    if not isinstance(case, dict):
        continue
    if isinstance(case.get("PREFIX"), str):
        seed("envelope", case["PREFIX"])
        body = case["PREFIX"].split(":", 1)[-1]
        seed("base45", body)
    for key, target in (("COSE", "cose-sign1"), ("CBOR", "cbor")):
        try:
            seed(target, bytes.fromhex(case.get(key) or ""))
        except ValueError:
            pass
    if isinstance(case.get("COMPRESSED"), str):
        try:
            seed("inflate", bytes.fromhex(case["COMPRESSED"]))
        except ValueError:
            pass
for path in sorted((vectors / "certlogic").glob("*.json")):
    suite = load(path)
    cases = suite.get("cases", []) if isinstance(suite, dict) else []
    for case in cases[:40]:
        rule = json.dumps(case.get("certLogicExpression"), ensure_ascii=False)
        data = json.dumps((case.get("assertions") or [{}])[0].get("data"), ensure_ascii=False)
        seed("certlogic", rule.encode() + b"\0" + data.encode())
        seed("json-body", rule)
for path in sorted((vectors / "status-list").glob("*.md")):
    text = path.read_text(encoding="utf-8", errors="replace")
    for blob in re.findall(r"\b[0-9a-f]{40,}\b", text):
        data = bytes.fromhex(blob if len(blob) % 2 == 0 else blob[:-1])
        seed("status-list", data)
        seed("cbor", data)
