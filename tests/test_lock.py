"""The portable lock (familieplan.workspace.lock): each backend excludes a second holder,
gives up after its bounded wait with one clear error, and lets go on release. The wait
runs on a fake clock: no test sleeps."""

from __future__ import annotations

import errno
import os
import stat
import sys
import types
from pathlib import Path

import pytest
from test_disclosures import entry

from familieplan.problems import FamilieplanError
from familieplan.workspace import lock
from familieplan.workspace.disclosures import LOG_FILE, record_disclosures


@pytest.fixture(autouse=True)
def fake_clock(monkeypatch):
    """`pause` moves a fake clock on instead of sleeping; returns the pauses taken."""
    now = [0.0]
    pauses: list[float] = []

    def pause(seconds: float) -> None:
        pauses.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(lock, "clock", lambda: now[0])
    monkeypatch.setattr(lock, "pause", pause)
    return pauses


class FakeMsvcrt(types.ModuleType):
    """Windows' byte locks as msvcrt.locking gives them: per handle, from the file position,
    a second handle refused with EACCES."""

    LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = range(5)

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.held: dict[tuple[int, int, int], int] = {}
        self.calls: list[tuple[int, int]] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        info = os.fstat(fd)
        where = os.lseek(fd, 0, os.SEEK_CUR)
        self.calls.append((mode, where))
        key = (info.st_dev, info.st_ino, where)
        if mode == self.LK_UNLCK:
            if self.held.get(key) != fd:
                raise OSError(errno.EACCES, "Permission denied")
            del self.held[key]
        elif key in self.held:
            raise OSError(errno.EACCES, "Permission denied")
        else:
            self.held[key] = fd


@pytest.fixture(params=["flock", "msvcrt", "claim"])
def backend(request, monkeypatch):
    if request.param == "flock" and lock.choose_backend() != "flock":
        pytest.skip("no fcntl here")
    if request.param == "msvcrt":
        monkeypatch.setitem(sys.modules, "msvcrt", FakeMsvcrt())
    monkeypatch.setattr(lock, "BACKEND", request.param)
    return request.param


def _open(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


def test_a_second_holder_waits_then_gets_one_clear_error(tmp_path, backend, fake_clock):
    path = tmp_path / "disclosures.yaml"
    first, second = _open(path), _open(path)
    try:
        with lock.exclusive(first, path):
            with pytest.raises(FamilieplanError) as refused, lock.exclusive(second, path, wait=1.0):
                pass
            assert refused.value.message_id.startswith("{path} is locked by another run")
            assert refused.value.args_map["path"] == str(path)
            assert sum(fake_clock) >= 1.0 and len(fake_clock) == pytest.approx(1.0 / lock.POLL, abs=2)
            if backend == "claim":
                assert refused.value.args_map["lock"] == str(tmp_path / ".disclosures.yaml.lock")
        with lock.exclusive(second, path):  # released: had at once
            pass
    finally:
        os.close(first)
        os.close(second)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["disclosures.yaml"]


def test_msvcrt_locks_one_byte_far_past_the_end_and_keeps_the_position(tmp_path, monkeypatch):
    fake = FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(lock, "BACKEND", "msvcrt")
    path = tmp_path / "log.yaml"
    path.write_bytes(b"disclosures:\n")
    fd = _open(path)
    try:
        os.lseek(fd, 5, os.SEEK_SET)
        with lock.exclusive(fd, path):
            assert os.lseek(fd, 0, os.SEEK_CUR) == 5
        assert os.lseek(fd, 0, os.SEEK_CUR) == 5
    finally:
        os.close(fd)
    assert fake.calls == [(fake.LK_NBLCK, lock.WINDOWS_LOCK_OFFSET), (fake.LK_UNLCK, lock.WINDOWS_LOCK_OFFSET)]
    assert fake.held == {}


def test_other_os_errors_carry_the_path(tmp_path, monkeypatch):
    fake = FakeMsvcrt()

    def broken(fd: int, mode: int, nbytes: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    fake.locking = broken  # type: ignore[method-assign]
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(lock, "BACKEND", "msvcrt")
    path = tmp_path / "log.yaml"
    fd = _open(path)
    try:
        with pytest.raises(OSError) as failed, lock.exclusive(fd, path):
            pass
    finally:
        os.close(fd)
    assert failed.value.errno == errno.EIO and failed.value.filename == str(path)


def test_lock_file_is_private_regular_and_never_a_link(tmp_path, backend):
    path = tmp_path / ".lock"
    with lock.lock_file(path):
        with pytest.raises(FamilieplanError, match="locked by another run"), lock.lock_file(path, wait=0.1):
            pass
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    link = tmp_path / "link.lock"
    link.symlink_to(path)
    with pytest.raises(FamilieplanError, match="symbolic link"), lock.lock_file(link):
        pass
    folder = tmp_path / "folder.lock"
    folder.mkdir()
    with pytest.raises(FamilieplanError, match="not a regular file"), lock.lock_file(folder):
        pass


def test_the_disclosure_log_appends_under_every_backend(minimal_ws, backend):
    from conftest import MINIMAL_CASE

    folder = minimal_ws / "cases" / MINIMAL_CASE
    record_disclosures(folder, [entry(1)])
    record_disclosures(folder, [entry(2, "mor")])
    text = (folder / LOG_FILE).read_text()
    assert text.count("  - at:") == 2 and text.count("disclosures:") == 1
    assert not (folder / f".{LOG_FILE}.lock").exists()


def test_a_case_lock_is_hidden_from_the_loader_and_from_git(minimal_ws, runner):
    from conftest import MINIMAL_CASE, run_cli

    folder = minimal_ws / "cases" / MINIMAL_CASE
    with lock.lock_file(lock.case_lock_path(folder)):
        assert run_cli(runner, ["validate", "--workspace", str(minimal_ws)]).exit_code == 0
    assert lock.case_lock_path(folder).is_file()
    assert ".*.lock" in (Path(__file__).parents[1] / "templates" / "scaffold" / "gitignore.j2").read_text().splitlines()
