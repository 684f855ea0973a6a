"""schemathesis over the API's OpenAPI document: every check, with valid and invalid data.

The document says exactly what the server accepts — each parameter's schema comes from the
same kind of value that reads it (``layers/params.py``; a text kind's ``pattern`` is its
parser's own regular expression). schemathesis generates requests from the document: valid
ones must be answered, invalid ones refused with a 4xx, and every response must match its
declared schema, status and media type. Each item route is given a real id of its collection,
so its filters are exercised too. Bounded: a fixed seed and a few examples per operation, and
of the five layer collections — one class, differing only in their fixed layer — ``water``
stands for the others, so it runs in about half a minute against the real register on a real
server (the whole document passes too: ``schemathesis run …/api/openapi --checks all``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

EXAMPLES = 20


def _config(base: str) -> str:
    """A schemathesis configuration giving each item route an id that exists."""
    with urllib.request.urlopen(f"{base}/api/collections?f=json") as response:
        collections = [c["id"] for c in json.load(response)["collections"]]
    blocks = []
    for cid in collections:
        with urllib.request.urlopen(f"{base}/api/collections/{cid}/items?limit=1") as response:
            first = json.load(response)["features"][0]["id"]
        blocks.append(
            f'[[operations]]\ninclude-path = "/collections/{cid}/items/{{featureId}}"\n'
            f'parameters = {{ "path.featureId" = "{first}" }}\n'
        )
    return "\n".join(blocks)


def test_schemathesis_finds_no_failure(live_server: str, tmp_path: Path) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text(_config(live_server), encoding="utf-8")
    command = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [
            str(command),
            f"--config-file={config}",
            "run",
            f"{live_server}/api/openapi",
            "--checks=all",
            "--exclude-path-regex=^/collections/(energy|industrial_park|disaster|other)",
            f"--max-examples={EXAMPLES}",
            "--seed=1",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,  # its hypothesis database and any report stay out of the repository
        check=False,
    )
    report = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, report
    counted = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert counted is not None, report
    assert counted[1] == counted[2], report
    assert int(counted[1]) > 1000, report
    tested = re.search(r"Tested: (\d+)", result.stdout)
    assert tested is not None, report
    assert int(tested[1]) == 15, report  # 4 for the API, 4 for each of 3 collections
    assert "warning" not in result.stdout.split("SUMMARY")[-1].lower(), report
