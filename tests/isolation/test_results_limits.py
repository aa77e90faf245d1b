"""``nnref check --results FILE`` reads hostile files in bounded time and memory, with one line."""

from __future__ import annotations

import pytest

from tests.conformance.helpers import nnref

HEAD = b'{"schema_version": 1, "results": '


def _file(tmp_path, data: bytes):
    path = tmp_path / "results.json"
    path.write_bytes(data)
    return path


def _sparse(tmp_path, size: int):
    path = tmp_path / "results.json"
    with open(path, "wb") as f:
        f.write(HEAD)
        f.truncate(size)  # 200 MB on paper, nothing on disk
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: _sparse(p, 200 * 2**20), "is 200 MB; nnref reads files up to 8 MB"),
        (
            lambda p: _file(p, HEAD + b'{"D_mse": ' + b"[" * 10_000 + b"]" * 10_000 + b"}}"),
            "is nested too deeply to be read",
        ),
        (lambda p: _file(p, HEAD + b'{"D_mse": 1e999}}'), "the number 1e999 is too large"),
        (lambda p: _file(p, HEAD + b'{"D_mse": NaN}}'), "NaN is not a JSON number"),
        (
            lambda p: _file(p, HEAD + b'{"D_mse": 1.0, "D_mse": 2.0}}'),
            "the key 'D_mse' appears twice in one object",
        ),
        (lambda p: _file(p, HEAD + b'{"D_mse": 1.0, "\xff": 2}}'), "is not UTF-8 text (byte 0xff"),
        (lambda p: _file(p, b'{"schema_version": 7, "results": {}}'), "has schema_version 7"),
    ],
)
def test_a_hostile_results_file_is_one_line_and_status_2(capsys, tmp_path, make, message):
    status, out, err = nnref(capsys, "check", "--results", make(tmp_path))
    assert status == 2 and out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1
