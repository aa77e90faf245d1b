"""Fail unless a wheel holds every file of the package: every module and every data file
(vectors, schemas, the spec in both languages, the clause index, the data sets) that git
tracks in reference/, symbolic/, conformance/ and api/, under its ``nnref/`` name.

    python3 .ci/wheel_contents.py dist/nnref-VERSION-py3-none-any.whl
"""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {"reference": "nnref/reference", "symbolic": "nnref/symbolic",
           "conformance": "nnref/conformance", "api": "nnref"}  # fmt: skip
#: files that a user of the package must find in it, whatever git says
REQUIRED = (
    "nnref/py.typed",
    "nnref/conformance/vectors/tutorial.json",
    "nnref/conformance/vectors/generated.json",
    "nnref/conformance/vectors/schema.json",
    "nnref/conformance/vectors/results.schema.json",
    "nnref/conformance/vectors/FORMAT.md",
    "nnref/conformance/spec/spec.md",
    "nnref/conformance/spec/spec.ja.md",
    "nnref/conformance/coverage/clause_index.json",
    "nnref/conformance/protocol/README.md",
    "nnref/reference/datasets/iris.csv",
    "nnref/reference/datasets/wine.csv",
)


def expected() -> set[str]:
    tracked = subprocess.run(["git", "ls-files", *FOLDERS], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()  # fmt: skip
    out = set(REQUIRED)
    for path in tracked:
        top, _, rest = path.partition("/")
        out.add(f"{FOLDERS[top]}/{rest}")
    return out


def main(wheel: str) -> int:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = sorted(expected() - names)
    for name in missing:
        print(f"missing from {Path(wheel).name}: {name}", file=sys.stderr)
    size = Path(wheel).stat().st_size
    files = sum(1 for n in names if not n.endswith("/"))
    print(f"{Path(wheel).name}: {size / 1024:.0f} KiB, {files} files, none missing" * (not missing))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
