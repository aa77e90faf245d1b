"""``--sandbox``: the code under test cannot signal the judge, write or read the judge's files,
read nnref's vector files, use the network, see the judge's processes, or outlive the run.

The attacks that could reach the judge run it as a process of its own (``judge``), so a
signal that gets through ends that process, never pytest. Each test asserts the verdict,
the exit status, what the implementation managed (it prints it: the report keeps each
case's output), and that nothing is left running.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from tests.conformance.helpers import lines_with, nnref
from tests.isolation.leftovers import running
from tests.isolation.test_hostile import assert_only

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "tests.isolation.sandbox_hostile"
SIGMOID = ["--no-properties", "--only=sigmoid-00*", "--only=tanh-00[01]"]

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is missing")


def judge(*argv, env=None, command="check") -> tuple[int, str, str, str]:
    """``nnref COMMAND ARGV`` as a process of its own, which tells its children its pid
    (``NNREF_TEST_JUDGE_PID``): (exit status, stdout, stderr, the run's mark)."""
    mark = f"NNREF_TEST_RUN={uuid.uuid4().hex}"
    code = (
        "import os, sys; os.environ['NNREF_TEST_JUDGE_PID'] = str(os.getpid());"
        "from nnref.conformance.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    env = {**os.environ, **(env or {}), mark.split("=")[0]: mark.split("=")[1]}
    done = subprocess.run(
        [sys.executable, "-c", code, command, *map(str, argv)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode, done.stdout, done.stderr, mark


def outputs(report: Path, case: str = "sigmoid-000") -> str:
    """What the case's call printed, as the report keeps it."""
    cases = {c["id"]: c for c in json.loads(report.read_text())["cases"]}
    return cases[case].get("output", {}).get("stdout", "")


def test_without_sandbox_a_child_can_interrupt_the_judge():
    """The row 'sends the judge a signal' without --sandbox: it is not protected."""
    status, out, _, mark = judge(f"{HOSTILE}:SIGNALS_THE_JUDGE", *SIGMOID)
    assert status == 130
    assert "interrupted: the summary below counts only the checks that finished" in out
    assert running(mark) == []


def test_under_sandbox_a_child_cannot_signal_the_judge(tmp_path):
    report = tmp_path / "r.json"
    status, out, err, mark = judge(
        f"{HOSTILE}:SIGNALS_THE_JUDGE", *SIGMOID, "--sandbox", "--json", report
    )
    assert status == 0, out + err
    assert out.splitlines()[-1].startswith("summary: 12 passed, 0 failed, 0 errors")
    assert "could not signal" in outputs(report) and "sent SIGINT" not in outputs(report)
    assert running(mark) == []


@pytest.fixture(params=["/tmp", "/var/tmp"])
def outside(request, tmp_path):
    """A folder for the report: under /tmp (private in a sandbox) or elsewhere (hidden)."""
    if request.param == "/tmp":
        return tmp_path
    if not os.access("/var/tmp", os.W_OK):
        pytest.skip("/var/tmp cannot be written here")
    folder = Path(tempfile.mkdtemp(prefix="nnref-test-", dir="/var/tmp"))
    request.addfinalizer(lambda: shutil.rmtree(folder, ignore_errors=True))
    return folder


@pytest.mark.parametrize("sandbox", [False, True], ids=["plain", "sandbox"])
def test_a_child_writing_the_report_never_changes_the_saved_file(outside, sandbox):
    report = outside / "r.json"
    report.write_text("an old report\n")
    flags = ["--sandbox"] if sandbox else []
    status, _, _, mark = judge(
        f"{HOSTILE}:WRITES_THE_REPORT", *SIGMOID, *flags, "--json", report,
        env={"NNREF_TEST_TARGET": str(report)},
    )  # fmt: skip
    assert status == 0
    saved = json.loads(report.read_text())
    assert saved["summary"]["passed"] == 12 and saved["summary"]["failed"] == 0
    said = outputs(report)
    if sandbox and str(outside).startswith("/tmp"):  # a private /tmp: not there at all
        assert "could not read the report: FileNotFoundError" in said
        assert "could not write the report: FileNotFoundError" in said
    elif sandbox:  # hidden: an empty file over it, read-only (or a folder it may not enter)
        assert "could read the report: ''" in said or "could not read the report: " in said
        assert "could not write the report: " in said
    else:  # it could, during the run; the judge writes the report after every child is gone
        assert "could read the report: 'an old report" in said and "wrote the report" in said
    assert running(mark) == []


def test_under_sandbox_a_daemon_cannot_rewrite_the_report_after_the_judge_exits(tmp_path):
    report = tmp_path / "r.json"
    status, out, _, mark = judge(
        f"{HOSTILE}:DAEMON_REWRITES_THE_REPORT", *SIGMOID, "--sandbox", "--json", report,
        env={"NNREF_TEST_TARGET": str(report)},
    )  # fmt: skip
    assert status == 0, out
    assert running(mark) == []  # the sandbox's processes died with it
    written = report.read_text()
    time.sleep(0.5)  # ten rewrites' time, had the daemon lived
    assert report.read_text() == written
    assert json.loads(written)["summary"]["passed"] == 12


def test_under_sandbox_the_vector_files_are_hidden_so_a_memoriser_fails(capsys, tmp_path):
    only = ["--no-properties", "--only=sigmoid-00*", "--only=relu-00[01]"]
    status, out, _ = nnref(capsys, "check", f"{HOSTILE}:MEMORISER", *only)
    assert status == 0  # it reads nnref's own files: without the sandbox it passes
    report = tmp_path / "r.json"
    status, out, _ = nnref(capsys, "check", f"{HOSTILE}:MEMORISER", *only, "--sandbox",
                           "--json", report)  # fmt: skip
    assert status == 1
    fails = lines_with(out, "FAIL")
    assert len(fails) == 10 and all(f.split()[1].startswith("sigmoid-") for f in fails)
    assert len(lines_with(out, "PASS   relu-")) == 2
    assert "could not read tutorial.json FileNotFoundError" in outputs(report)
    assert running() == []


def test_under_sandbox_no_network_and_no_sight_of_the_judge(tmp_path):
    report = tmp_path / "r.json"
    status, _, _, mark = judge(
        f"{HOSTILE}:LOOKS_AROUND", "--no-properties", "--only=sigmoid-000", "--sandbox",
        "--json", report,
    )  # fmt: skip
    assert status == 0
    said = outputs(report)
    assert "network: OSError 101" in said  # ENETUNREACH: a network namespace of its own
    assert "sees the judge: False" in said
    count = int(said.split("processes seen: ")[1].split()[0])
    assert count <= 3, said  # bwrap's init, the worker (and nothing of the judge's)
    assert "reads your files: True" in said  # not protected: only the judge's files are hidden
    assert running(mark) == []


def test_without_sandbox_the_child_sees_the_judge(tmp_path):
    report = tmp_path / "r.json"
    status, _, _, _ = judge(
        f"{HOSTILE}:LOOKS_AROUND", "--no-properties", "--only=sigmoid-000", "--json", report
    )
    assert status == 0
    assert "sees the judge: True" in outputs(report)
    assert "reads your files: True" in outputs(report)


def _sleeping(seconds: str) -> list[int]:
    """Pids running exactly ``sleep SECONDS``."""
    found = []
    for name in os.listdir("/proc"):
        try:
            with open(f"/proc/{name}/cmdline", "rb") as f:
                if f.read() == f"sleep\0{seconds}\0".encode():
                    found.append(int(name))
        except (OSError, ValueError):
            continue
    return found


@pytest.mark.parametrize("sandbox", [False, True], ids=["plain", "sandbox"])
def test_a_process_that_hides_with_care_escapes_only_without_sandbox(sandbox):
    seconds = f"{30 + uuid.uuid4().int % 10_000 / 1000:.3f}"  # a command line of its own
    flags = ["--sandbox"] if sandbox else []
    status, _, _, _ = judge(f"{HOSTILE}:ESCAPES", *SIGMOID, *flags,
                            env={"NNREF_TEST_SLEEP": seconds})  # fmt: skip
    assert status == 0
    left = _sleeping(seconds)
    for pid in left:  # the row's hole, shown; then closed by hand
        os.kill(pid, 9)
    assert len(left) == (0 if sandbox else 1), left


@pytest.mark.parametrize("sandbox", [False, True], ids=["plain", "sandbox"])
def test_the_checks_made_in_the_child_can_be_switched_off(capsys, sandbox):
    """The row 'switches off the checks made in its own process': a courtesy, both ways."""
    flags = ["--sandbox"] if sandbox else []
    status, out, _ = nnref(capsys, "check", f"{HOSTILE}:UNSEEN_MUTATION", *SIGMOID, *flags)
    assert status == 0  # sigmoid modified its input, and said nothing of it
    assert len(lines_with(out, "PASS   sigmoid-")) == 10
    assert running() == []


def test_gradcheck_and_the_plugin_take_the_sandbox_too(tmp_path):
    status, out, err, mark = judge("nnref.reference", "--fast", "--sandbox", command="gradcheck")
    assert status == 0, out + err
    assert out.splitlines()[-1].startswith("summary: ") and " 0 failed, 0 errors" in out
    code = (
        "import os, sys; os.environ['NNREF_TEST_JUDGE_PID'] = str(os.getpid());"
        "import pytest; sys.exit(pytest.main(sys.argv[1:]))"
    )
    argv = ["-p", "no:cacheprovider", "-o", "addopts=", "--nnref-sandbox", "--nnref-impl",
            f"{HOSTILE}:SIGNALS_THE_JUDGE", "-k", "sigmoid-00", "-q"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code, *argv], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "10 passed" in done.stdout
    assert running(mark) == []


@pytest.mark.parametrize("command", ["check", "gradcheck"])
def test_without_bwrap_sandbox_is_one_line_and_status_2(capsys, tmp_path, monkeypatch, command):
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap here
    status, out, err = nnref(capsys, command, "nnref.reference", "--sandbox")
    assert status == 2 and out == ""
    assert err.strip() == (
        "nnref: error: --sandbox needs bubblewrap (the bwrap command), which is not installed "
        "(Debian and Ubuntu: apt-get install bubblewrap)"
    )


def test_without_user_namespaces_sandbox_is_one_line_and_status_2(capsys, tmp_path, monkeypatch):
    fake = tmp_path / "bwrap"
    fake.write_text(
        "#!/bin/sh\necho 'bwrap: No permissions to creating new namespace, likely because the"
        " kernel does not allow non-privileged user namespaces.' >&2\nexit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    status, out, err = nnref(capsys, "check", "nnref.reference", "nnref.reference", "--sandbox")
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("nnref: error: --sandbox: bwrap cannot make a sandbox here (are ")
    assert err.strip().endswith("does not allow non-privileged user namespaces.")


@pytest.mark.parametrize(
    ("name", "callable_", "message"),
    [
        ("hostile:OS_EXIT", "tanh", "the implementation exited with status 3 while computing tanh"),
        ("hostile:SEGFAULT", "softmax", "was killed by SIGSEGV (segmentation fault) while"),
        ("hostile:EXIT1", "sigmoid", "sigmoid raised SystemExit: 1"),
        ("protocol_hostile:SECOND_REPLY", "sigmoid", "sent a second reply to one call"),
        ("protocol_hostile:FORGED_EIGHT_MILLION", "softmax", "has more than 10,000 numbers"),
    ],
)
def test_under_sandbox_an_early_end_or_a_broken_protocol_reads_the_same(
    capsys, name, callable_, message
):
    few = [
        "--no-properties",
        *(f"--only={n}-00[01]" for n in ("sigmoid", "tanh", "relu", "softmax")),
    ]
    status, out, _ = nnref(capsys, "check", f"tests.isolation.{name}", *few, "--sandbox")
    assert status == 1
    assert_only(out, callable_, "ERROR", message)
    assert running() == []
