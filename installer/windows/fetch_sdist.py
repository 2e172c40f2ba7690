"""Download one sdist file from PyPI by name and version, without running it.

    python fetch_sdist.py NAME VERSION FILENAME SHA256 OUTDIR

``pip download`` would build the sdist's metadata (run its setup.py); this reads the
registry's simple index (PEP 691 JSON) instead, downloads the named file and checks its SHA-256.
A mirror: set UNIONSDESK_PYPI_SIMPLE to its simple-index base URL.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import urllib.request
from pathlib import Path


def main(name: str, version: str, filename: str, sha256: str, outdir: str) -> int:
    out = Path(outdir) / filename
    if out.is_file() and hashlib.sha256(out.read_bytes()).hexdigest() == sha256:
        print(f"{out}: cached, hash ok")
        return 0
    base = os.environ.get("UNIONSDESK_PYPI_SIMPLE", "https://pypi.org/simple")
    request = urllib.request.Request(
        f"{base}/{name}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=120) as r:
        index = json.load(r)
    urls = [f["url"] for f in index["files"] if f["filename"] == filename]
    if not urls:
        print(f"ERROR: {filename} is not in the index of {name} {version}", file=sys.stderr)
        return 1
    with urllib.request.urlopen(urls[0], timeout=300) as r:
        data = r.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        print(f"ERROR: {filename}: sha256 {digest}, pinned {sha256}", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{out}: downloaded, hash ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
