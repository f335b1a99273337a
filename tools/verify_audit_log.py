#!/usr/bin/env python3
"""Recompute Timeline's audit hash chain from a saved audit log, with nothing but Python 3's standard library.

    curl -s http://localhost:5080/api/audit/log > log.ndjson
    python3 tools/verify_audit_log.py log.ndjson
    python3 tools/verify_audit_log.py log.ndjson --checkpoint checkpoint.json

Each line of the log is one event. Its hash is the lower-case hex SHA-256 of the canonical JSON (see
docs/audit.md) of [previousHash, sequence, streamId, type, effectiveAt, recordedAt, data, metadata];
previousHash is the hash of the line before (64 zeros for the first). Exit status 0 when every line
verifies (and the checkpoint, if given, matches), 1 otherwise, with the first sequence that fails.
"""
import argparse
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

GENESIS = "0" * 64


class Number(str):
    """A JSON number kept as the exact text the log holds: the hash covers the text, not a float."""


def load(line):
    return json.loads(line, parse_float=Number, parse_int=Number)


def canonical(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Number):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(canonical(item) for item in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: key.encode("utf-16-be"))  # UTF-16 code unit order
        return "{" + ",".join(json.dumps(key, ensure_ascii=False) + ":" + canonical(value[key]) for key in keys) + "}"
    raise TypeError(f"unexpected JSON value {value!r}")


def event_hash(previous_hash, event):
    fields = [previous_hash, event["sequence"], event["streamId"], event["type"], event["effectiveAt"],
              event["recordedAt"], event["data"], event["metadata"]]
    return hashlib.sha256(canonical(fields).encode("utf-8")).hexdigest()


def verify(lines):
    """Returns (events verified, head sequence, head hash, first failed sequence or None, reason)."""
    previous, head, count = GENESIS, 0, 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            event = load(line)
            sequence = int(event["sequence"])
        except (ValueError, KeyError) as error:
            return count, head, previous, None, f"line {number} is not an audit log event: {error}"
        if event.get("previousHash") != previous:
            return count, head, previous, sequence, "its link to the event before does not match: an event was deleted, inserted or reordered before it"
        if event_hash(previous, event) != event.get("hash"):
            return count, head, previous, sequence, "its content does not match its hash: the event was changed"
        previous, head, count = event["hash"], sequence, count + 1
    return count, head, previous, None, None


def der_signature(raw):
    """ES256 signatures are r||s (64 bytes); openssl wants DER."""
    def integer(part):
        part = part.lstrip(b"\0") or b"\0"
        if part[0] & 0x80:
            part = b"\0" + part
        return b"\x02" + bytes([len(part)]) + part
    body = integer(raw[:32]) + integer(raw[32:])
    return b"\x30" + bytes([len(body)]) + body


def check_signature(checkpoint):
    """Verifies the checkpoint's ES256 signature with openssl when it is installed; None when it is not."""
    if shutil.which("openssl") is None:
        return None
    payload = canonical({"headHash": checkpoint["headHash"], "sequence": Number(str(checkpoint["sequence"])),
                         "signedAt": checkpoint["signedAt"]})
    with tempfile.TemporaryDirectory() as folder:
        paths = {name: os.path.join(folder, name) for name in ("key.pem", "payload", "signature.der")}
        with open(paths["key.pem"], "w", encoding="ascii") as key:
            key.write(checkpoint["publicKey"])
        with open(paths["payload"], "wb") as data:
            data.write(payload.encode("utf-8"))
        with open(paths["signature.der"], "wb") as signature:
            signature.write(der_signature(base64.b64decode(checkpoint["signature"])))
        result = subprocess.run(["openssl", "dgst", "-sha256", "-verify", paths["key.pem"], "-signature",
                                 paths["signature.der"], paths["payload"]], capture_output=True, check=False)
        return result.returncode == 0


def main():
    parser = argparse.ArgumentParser(description="Recompute Timeline's audit hash chain from a saved audit log.")
    parser.add_argument("log", help="a file saved from GET /api/audit/log (NDJSON)")
    parser.add_argument("--checkpoint", help="a checkpoint from POST /api/audit/checkpoints (JSON)")
    arguments = parser.parse_args()

    with open(arguments.log, encoding="utf-8") as log:
        lines = log.readlines()
    count, head, head_hash, failed, reason = verify(lines)
    hashes = {}
    for line in lines:
        if line.strip():
            event = load(line)
            hashes[int(event["sequence"])] = event.get("hash")

    ok = failed is None and reason is None
    result = {"ok": ok, "events": count, "headSequence": head, "headHash": head_hash}
    if not ok:
        result.update({"firstFailedSequence": failed, "reason": reason})

    if arguments.checkpoint:
        with open(arguments.checkpoint, encoding="utf-8") as file:
            checkpoint = json.load(file)
        sequence = int(checkpoint["sequence"])
        matches = ok and hashes.get(sequence) == checkpoint["headHash"]
        signature = check_signature(checkpoint)
        result["checkpoint"] = {
            "sequence": sequence,
            "matches": matches,
            "signatureValid": signature,
            "note": None if signature is not None else "openssl is not installed: the signature was not checked",
        }
        ok = ok and matches and signature is not False
        result["ok"] = ok

    print(json.dumps(result, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
