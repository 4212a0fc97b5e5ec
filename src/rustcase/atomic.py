"""Writing files into a directory all or nothing, for `rustcase.export_tables` and `rustcase.write_html`.

A `Transaction` locks the directory (so two rustcase processes never write into it at once), checks every
target before anything moves (nothing is followed through a symlink; only regular files are ever
replaced, and only with ``force`` when their content changes), stages the new files in a hidden directory
inside it, and moves them into place one by one. If a move fails, the moves already made are undone, so
the directory ends as it was, and the message names the path. While the transaction runs, SIGTERM cleans
up as SIGINT does (when SIGTERM would otherwise kill the process), and the moves themselves are not
interrupted by either.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType

from rustcase.errors import ExportError

_KINDS = {
    stat.S_IFLNK: "symlink",
    stat.S_IFDIR: "directory",
    stat.S_IFIFO: "FIFO",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
    stat.S_IFREG: "regular file",
}


def kind(mode: int) -> str:
    """What an ``lstat`` mode is, in words: "symlink", "directory", "FIFO", ..."""
    return _KINDS.get(stat.S_IFMT(mode), "special file")


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def output_path(path: str | os.PathLike[str]) -> Path:
    """``path`` as a `Path`, refusing the empty string (which `Path` would silently read as ".")."""
    if not isinstance(path, str | os.PathLike) or os.fspath(path) == "":
        raise ExportError("the output path is empty; name a directory or file to write")
    return Path(path)


class _Terminated(BaseException):
    """SIGTERM arrived during a transaction: unwinds like KeyboardInterrupt, then the signal is re-sent."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


class Transaction:
    """Files written into ``root`` all or nothing: ``with Transaction(root) as t``, write each file into
    ``t.staged / name``, then ``t.commit(names)``. Leaving the block without a commit changes nothing."""

    def __init__(self, root: str | os.PathLike[str], *, force: bool = False, prefix: str = ".rustcase-") -> None:
        self.root = output_path(root)
        self.force = force
        self.prefix = prefix
        self.staged = Path()
        self._created = False
        self._lock: int | None = None
        self._keep = False
        self._sigterm: object = None

    def __enter__(self) -> Transaction:
        if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            self._sigterm = signal.signal(signal.SIGTERM, _terminate)
        try:
            self._created = not os.path.lexists(self.root)
            self.root.mkdir(parents=True, exist_ok=True)
            self._lock = _lock(self.root)
            self.staged = Path(tempfile.mkdtemp(prefix=self.prefix, dir=self.root))
        except OSError as exc:
            self.__exit__(type(exc), exc, None)
            raise ExportError(f"cannot write to {self.root}: {exc.strerror or exc}") from exc
        except BaseException as exc:
            self.__exit__(type(exc), exc, None)
            raise
        return self

    def __exit__(
        self, kind_: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        with _signals_held():  # the clean-up runs to its end; a signal meanwhile acts after it
            for _ in range(2 if self.staged != Path() and not self._keep else 0):  # a second try after a fault
                shutil.rmtree(self.staged, ignore_errors=True)
                if not os.path.lexists(self.staged):
                    break
            if self._lock is not None:
                os.close(self._lock)  # closing the descriptor releases the lock
                self._lock = None
            if exc is not None and self._created and not self._keep:
                try:
                    self.root.rmdir()  # it did not exist before: leave no empty directory behind
                except OSError:
                    pass
            terminated = self._sigterm is not None and isinstance(exc, _Terminated)
            if self._sigterm is not None:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                self._sigterm = None
        if terminated:
            os.kill(os.getpid(), signal.SIGTERM)  # cleaned up: now end as SIGTERM would have

    def existing(self) -> list[str]:
        """The names in the directory (not hidden ones), for a caller that decides what to write from them."""
        return sorted(n for n in os.listdir(self.root) if not n.startswith("."))

    def check(self, names: Sequence[str]) -> None:
        """Refuse, before anything is written, targets that no ``force`` may replace: a symlink (also a
        dangling one), a directory, a FIFO, a device or any other special file, or such a thing in the way
        of a directory (``schema/`` must be a real directory). Names are relative, ``/`` between parts."""
        for name in names:
            parts = name.split("/")
            for depth in range(1, len(parts) + 1):
                path = self.root.joinpath(*parts[:depth])
                st = _lstat(path)
                if st is None:
                    break
                last = depth == len(parts)
                if last and not stat.S_ISREG(st.st_mode):
                    raise ExportError(
                        f"{path} is a {kind(st.st_mode)}; rustcase replaces only regular files, even with --force"
                    )
                if not last and not stat.S_ISDIR(st.st_mode):
                    raise ExportError(
                        f"{path} is a {kind(st.st_mode)}, not a directory; rustcase writes only into real "
                        "directories under the output directory and follows no symlink"
                    )

    def unchanged(self, name: str) -> bool:
        """Whether ``root/name`` is a regular file with exactly the bytes staged for it."""
        new = self.staged / name
        old = _lstat(self.root / name)
        if old is None or not stat.S_ISREG(old.st_mode) or old.st_size != new.stat().st_size:
            return False
        try:
            fd = os.open(self.root / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return False
        with os.fdopen(fd, "rb") as f:
            return f.read(old.st_size + 1) == new.read_bytes()

    def commit(self, names: Sequence[str]) -> None:
        """Move each staged file into place, in order; the last name (the manifest) is removed first and
        moved last, so a directory that has it is complete. Existing files whose content changes need
        ``force``. On failure, every move is undone and `ExportError` names the path."""
        self.check(names)
        changed = [str(self.root / n) for n in names if os.path.lexists(self.root / n) and not self.unchanged(n)]
        if changed and not self.force:
            raise ExportError(f"would overwrite {', '.join(changed)}; pass force=True (--force) to replace them")
        with _signals_held():  # a signal now waits until the moves are done (or undone)
            self._moves(names)

    def _moves(self, names: Sequence[str]) -> None:
        backup = self.staged / ".previous"
        backup.mkdir()
        undo: list[tuple[str, Path, Path]] = []  # (action, a, b), undone in reverse order
        marker, *rest = list(names)[::-1]
        current = self.root
        try:
            if os.path.lexists(self.root / marker):
                current = self.root / marker
                _keep_copy(self.root / marker, backup / "0")
                os.unlink(self.root / marker)
                undo.append(("restore", backup / "0", self.root / marker))
            for i, name in enumerate([*rest[::-1], marker], start=1):
                target = self.root / name
                for parent in reversed(Path(name).parents[:-1]):
                    if not os.path.lexists(self.root / parent):
                        current = self.root / parent
                        os.mkdir(self.root / parent)
                        undo.append(("rmdir", self.root / parent, self.root / parent))
                current = target
                self.check([name])  # once more, just before the move
                if os.path.lexists(target):
                    _keep_copy(target, backup / str(i))
                    os.replace(self.staged / name, target)
                    undo.append(("restore", backup / str(i), target))
                else:
                    os.replace(self.staged / name, target)
                    undo.append(("remove", target, target))
        except (OSError, ExportError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            problem = self._undo(undo)
            if problem is None:
                raise ExportError(f"cannot write {current}: {reason}; {self.root} is as it was") from exc
            self._keep = True
            raise ExportError(
                f"cannot write {current}: {reason}; undoing failed too ({problem}): the previous files are "
                f"kept in {backup}"
            ) from exc

    @staticmethod
    def _undo(undo: list[tuple[str, Path, Path]]) -> str | None:
        """Undo the moves made so far; the first problem met, or None when all is as it was."""
        for action, a, b in reversed(undo):
            try:
                if action == "restore":
                    os.replace(a, b)
                elif action == "remove":
                    os.unlink(a)
                else:
                    os.rmdir(a)
            except OSError as exc:
                return f"{a}: {exc.strerror or exc}"
        return None


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is left: blocked where the platform can block them, and one
    that arrived just before (Python runs a handler at its next instruction, which may be inside the block)
    is recorded and raised again after it, to the handler then in place."""
    names = (signal.SIGINT, signal.SIGTERM)
    deferred: list[int] = []

    def defer(signum: int, frame: object) -> None:
        deferred.append(signum)

    handlers = {}
    if threading.current_thread() is threading.main_thread():  # only the main thread runs handlers
        handlers = {name: signal.signal(name, defer) for name in names}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, names) if hasattr(signal, "pthread_sigmask") else None
    try:
        yield
    finally:
        if previous is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        for name, handler in handlers.items():
            if signal.getsignal(name) is defer:  # the block may have set its own
                signal.signal(name, handler)
        for signum in deferred:
            signal.raise_signal(signum)


def _keep_copy(path: Path, backup: Path) -> None:
    """Keep the previous file's content for an undo: a hard link, or a copy where links are not possible."""
    try:
        os.link(path, backup, follow_symlinks=False)
    except OSError:
        shutil.copy2(path, backup, follow_symlinks=False)


def _lock(root: Path) -> int | None:
    """An exclusive lock on the directory itself (no lock file is left behind); None where flock is missing."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise ExportError(f"another export is writing to {root}; try again when it has finished") from None
    return fd
