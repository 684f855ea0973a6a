"""When each project first appeared in a build and when it last changed, carried from build to
build, for the Atom feed of a filter (a reader subscribed to a county sees what is new or
changed after each build).

A project is known by its id (stable across editions: it is decided from the text) and its
content by a digest of its feature (geometry and properties, canonical JSON). The build reads
the previous ``history.json``, keeps ``first_seen`` for the ids it knows, moves ``changed`` to
this build's time where the digest differs, and drops the ids no longer in the register.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["carry_history", "digest", "read_history"]

History = dict[str, dict[str, str]]


def digest(feature: Mapping[str, Any]) -> str:
    """A digest of a feature's content: its geometry and properties, canonical JSON."""
    content = {"geometry": feature.get("geometry"), "properties": feature.get("properties")}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def carry_history(previous: History, features: Sequence[Mapping[str, Any]], now: str) -> History:
    """This build's history: each feature's ``digest``, ``first_seen`` and ``changed`` (ISO
    8601 UTC times), from the previous build's where the id is known."""
    history: History = {}
    for feature in features:
        fid, content = str(feature["id"]), digest(feature)
        before = previous.get(fid)
        if before is None:
            history[fid] = {"digest": content, "first_seen": now, "changed": now}
        else:
            changed = before["changed"] if before.get("digest") == content else now
            history[fid] = {
                "digest": content,
                "first_seen": before.get("first_seen", now),
                "changed": changed,
            }
    return history


def read_history(path: Path) -> History:
    """A build's ``history.json``; empty when there is none or it cannot be read (the next
    build then starts the history again: every project is new)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        str(fid): {key: str(value) for key, value in entry.items()}
        for fid, entry in data.items()
        if isinstance(entry, dict) and isinstance(entry.get("changed"), str)
    }
