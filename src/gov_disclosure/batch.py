"""The batch engine: many report files, in parallel, in order, streaming.

:func:`parse_many` is the public entry point for code; the ``gov-disclosure``
command line (:mod:`gov_disclosure.cli`) drives :func:`batch_parse` and
:func:`batch_validate`.  Failures are reported per file, never raised: one bad
file must not end a batch of thousands.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import queue
import shutil
import signal
import stat
import sys
import time
import unicodedata
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Optional, Protocol, Sequence, TextIO, Union

from .errors import ParseError
from .output import WRITERS, OutputError, Writer, display_source

__all__ = [
    "REPORT_EXTENSIONS",
    "MAX_BYTES",
    "READ_ERROR_KINDS",
    "find_reports",
    "scan_reports",
    "Outcome",
    "parse_many",
    "iter_outcomes",
    "BatchSummary",
    "batch_parse",
    "batch_validate",
    "Progress",
    "default_jobs",
    "located",
]

#: File extensions picked up when a directory is given (matched case-insensitively).
REPORT_EXTENSIONS: tuple[str, ...] = (
    ".txt", ".htm", ".html", ".docx", ".pdf",
    ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp",  # page images, read by OCR ([ocr])
    ".doc", ".wps", ".rtf", ".odt",  # legacy office files, converted by LibreOffice
)

#: The largest input file read (bytes, 50 MiB); a larger one is a failure, refused before it is read.
MAX_BYTES: int = 50 * 1024 * 1024

#: :attr:`Outcome.kind` of the failures that come from the file system, not from the report's text.
READ_ERROR_KINDS: frozenset[str] = frozenset(
    {
        "NotARegularFile",
        "FileTooLarge",
        "SymlinkLoop",
        "WorkerDied",
        "OSError",
        "PermissionError",
        "FileNotFoundError",
        "IsADirectoryError",
        "NotADirectoryError",
    }
)


# --- finding files ----------------------------------------------------------------


def find_reports(
    paths: Iterable[str],
    extensions: Sequence[str] = REPORT_EXTENSIONS,
    *,
    on_error: Optional[Callable[["Outcome"], None]] = None,
) -> Iterator[str]:
    """Every report file named by ``paths``, lazily, in a stable order.

    A file is yielded as given (whatever its extension: you named it); a
    directory is walked recursively and its files with one of ``extensions`` are
    yielded, sorted by path within each directory, subdirectories after files.
    Hidden files and directories (``.name``) are skipped.  Raises
    :class:`FileNotFoundError` for a path that does not exist.

    A directory that cannot be listed, a symbolic link that points to an
    enclosing directory (``loop -> ..``) and an entry that cannot be looked at
    (``x.txt -> x.txt``) are not yielded: each is passed to ``on_error`` as a
    failed :class:`Outcome` (by default they are skipped).  :func:`scan_reports`
    yields them in place instead.
    """
    for item in scan_reports(paths, extensions):
        if isinstance(item, Outcome):
            if on_error is not None:
                on_error(item)
        else:
            yield item


def scan_reports(
    paths: Iterable[str], extensions: Sequence[str] = REPORT_EXTENSIONS
) -> Iterator[Union[str, "Outcome"]]:
    """Like :func:`find_reports`, with the problems of the walk yielded in place, as failed :class:`Outcome` s.

    Walking never ends with an exception (except :class:`FileNotFoundError` for a
    path in ``paths`` that does not exist), and never loops: a directory reached
    again through a symbolic link inside itself is a failure, not a walk.
    """
    exts = tuple(e.lower() for e in extensions)
    for path in paths:
        path = os.fspath(path)
        if os.path.isdir(path):
            yield from _walk(path, exts, frozenset())
        elif os.path.lexists(path):
            yield path  # a file, or a link that cannot be followed: reading it says why
        else:
            raise FileNotFoundError(path)


def _fs_failure(path: str, exc: OSError, what: str) -> "Outcome":
    if exc.errno == errno.ELOOP:
        return Outcome(path, None, f"{what}: symbolic link loop ({exc.strerror})", None, "SymlinkLoop")
    return Outcome(path, None, f"{what}: {exc.strerror or exc}", None, type(exc).__name__)


def _walk(top: str, exts: tuple[str, ...], ancestors: frozenset[tuple[int, int]]) -> Iterator[Union[str, "Outcome"]]:
    try:
        st = os.stat(top)
        key = (st.st_dev, st.st_ino)
        if key in ancestors:
            yield Outcome(
                top, None, "symbolic link loop: leads back to an enclosing directory", None, "SymlinkLoop"
            )
            return
        with os.scandir(top) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield _fs_failure(top, exc, "cannot list the directory")
        return
    ancestors = ancestors | {key}
    dirs = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError as exc:  # x.txt -> x.txt: ELOOP
            yield _fs_failure(entry.path, exc, "cannot read")
            continue
        if is_dir:
            dirs.append(entry.path)
        elif entry.name.lower().endswith(exts):
            yield entry.path
    for d in dirs:
        yield from _walk(d, exts, ancestors)


# --- the batch engine ----------------------------------------------------------------


class Outcome(NamedTuple):
    """What became of one input file.

    ``payload`` is what the task produced (a Report for ``"report"``, the encoded
    output for a format name, ``[(line, code, severity, message), ...]`` for
    ``"validate"``); on failure it is None and ``error`` (one line, without the
    location), ``line`` and ``kind`` (the exception class, e.g.
    ``UnknownEditionError``) say why.
    """

    source: str
    payload: Any = None
    error: Optional[str] = None
    line: Optional[int] = None
    kind: Optional[str] = None
    #: For a report read in part (``Report.complete`` is False): ``(line, message)``
    #: of its first reading issue and how many cells were left unread; else None.
    partial: Optional[tuple[Optional[int], str]] = None

    @property
    def ok(self) -> bool:
        """True when the file was read (perhaps in part: see :attr:`partial`)."""
        return self.error is None

    @property
    def code(self) -> str:
        """``read-error`` for a failure of the file system (see :data:`READ_ERROR_KINDS`), else ``parse-error``."""
        return "read-error" if self.kind in READ_ERROR_KINDS else "parse-error"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _describe(exc: BaseException) -> tuple[str, Optional[int]]:
    """``(message, line)`` of an exception; the message is one line, without the location."""
    if isinstance(exc, ParseError):
        return _one_line(exc.message), exc.line
    return _one_line(f"{type(exc).__name__}: {exc}"), None


def located(error: str, line: Optional[int]) -> str:
    """``"line 12: message"`` (the error column of the outputs), or the message alone."""
    return f"line {line}: {error}" if line is not None else error


def _validate_payload(report: Any) -> list[tuple[int, str, str, str]]:
    from .validate import validate

    out: list[tuple[int, str, str, str]] = []
    locations = report.locations
    for issue in validate(report):
        line = issue.line
        if line is None:
            line = next((locations[p][0] for p in (issue.path, *issue.paths) if p in locations), None)
        out.append((line or 1, issue.code, issue.severity, _one_line(issue.message)))
    return out


_KINDS_OF_FILE = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class _Refused(Exception):
    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def _not_regular(mode: int) -> _Refused:
    what = next((name for test, name in _KINDS_OF_FILE if test(mode)), "not a file")
    return _Refused(f"not a regular file ({what})", "NotARegularFile")


def check_input(path: str, max_bytes: Optional[int] = MAX_BYTES) -> None:
    """Refuse, before reading it, a ``path`` that is not a regular file (a FIFO, a device) or is over ``max_bytes``.

    Only ``stat`` is called: nothing is opened, so a FIFO or ``/dev/zero`` cannot
    block.  ``max_bytes`` None or 0: no limit.  Raises :class:`OSError` for a
    path that cannot be looked at (missing, a symbolic link loop).
    """
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(st.st_mode)
    if max_bytes and st.st_size > max_bytes:
        raise _Refused(
            f"file too large: {st.st_size:,} bytes, over the limit of {max_bytes:,} (--max-bytes)", "FileTooLarge"
        )


def _parse_path(path: str, edition: str, max_bytes: Optional[int]) -> Any:
    """:func:`gov_disclosure.parse_file`, on a file :func:`check_input` accepts."""
    from .api import parse_file

    check_input(path, max_bytes)
    return parse_file(path, edition)


#: Where OCR page events go, as ``sink(source, page, pages)``: set in a worker process
#: by :func:`_worker_init` when the main process shows them (None: nobody does).
_PAGE_SINK: Optional[Callable[[str, int, int], None]] = None


def _work_one(
    task: str,
    edition: str,
    path: Any,
    max_bytes: Optional[int] = MAX_BYTES,
    pages: Optional[Callable[[str, int, int], None]] = None,
) -> Outcome:
    """The outcome of one file; ``pages(source, page, count)`` is told of each page OCR reads in it."""
    if isinstance(path, Outcome):  # a failure found while walking the folders
        return path
    path = os.fspath(path)  # a Path is fine; sources are always strings
    if pages is None:
        return _read_one(task, edition, path, max_bytes)
    from .formats import ocr

    sink = pages
    before = ocr.set_page_hook(lambda page, count: sink(path, page, count))
    try:
        return _read_one(task, edition, path, max_bytes)
    finally:
        ocr.set_page_hook(before)


def _read_one(task: str, edition: str, path: str, max_bytes: Optional[int]) -> Outcome:
    try:
        report = _parse_path(path, edition, max_bytes)
        partial = _partial(report)
        if task == "report":
            payload: Any = report
        elif task == "validate":
            payload = _validate_payload(report)
        else:
            payload = WRITERS[task].encode(report, path)
    except KeyboardInterrupt:  # pragma: no cover
        raise
    except _Refused as exc:
        return Outcome(path, None, str(exc), None, exc.kind)
    except OSError as exc:
        failure = _fs_failure(path, exc, "cannot read")
        return failure
    except Exception as exc:  # keep going: one bad file must not end a batch of thousands
        message, line = _describe(exc)
        return Outcome(path, None, message, line, type(exc).__name__)
    return Outcome(path, payload, partial=partial)


def _partial(report: Any) -> Optional[tuple[Optional[int], str]]:
    """``(line, message)`` for a report read in part, else None."""
    if report.complete:
        return None
    unread = sum(1 for _, value in report.cells() if value is None) - len(report.printed)
    first = next(i for i in report.issues if i.severity == "error")
    return first.line, _one_line(f"read in part ({unread} cells unread): {first.code} {first.message}")


def _work_chunk(args: tuple[str, str, list[Any], Optional[int]]) -> list[Outcome]:
    task, edition, paths, max_bytes = args
    return [_work_one(task, edition, p, max_bytes, _PAGE_SINK) for p in paths]


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _warm_up() -> None:
    """Compile every edition's grammar once, so forked workers inherit it."""
    from . import editions

    for name in editions.available():
        try:
            editions.get(name).compile()
        except Exception:  # pragma: no cover - a broken user edition fails per file later
            pass


def _worker_init(events: Any = None) -> None:
    """Workers leave Ctrl-C to the main process, which stops the pool (no traceback per worker);
    with ``events`` (the queue of :class:`_PageEvents`) they send it their OCR page events."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if events is not None:
        global _PAGE_SINK
        _PAGE_SINK = _Sender(events)


class _Sender:
    """A worker's end of the page events: ``(source, page, pages)`` put on the queue if it has
    room (progress is not worth waiting for), and nothing more once the queue is gone."""

    def __init__(self, events: Any) -> None:
        self.events: Any = events

    def __call__(self, source: str, page: int, pages: int) -> None:
        if self.events is None:
            return
        try:
            self.events.put_nowait((source, page, pages))
        except queue.Full:
            pass
        except Exception:  # the manager process is gone (Ctrl-C, the end of the batch)
            self.events = None


class _PageEvents:
    """OCR page events from the worker processes to ``on_page`` in this one.

    The queue lives in a manager process, so a worker killed in the middle of
    sending an event breaks only its own connection, never the queue (a
    ``multiprocessing.Queue`` would be left locked or holding half a message).
    It is bounded: a worker drops an event when it is full.  This process drains
    it while it waits for results (:meth:`_Pool.result`); nothing runs in a thread.
    """

    LIMIT = 256

    def __init__(self, context: Any, on_page: Callable[[str, int, int], None]) -> None:
        from multiprocessing.managers import SyncManager

        self.on_page = on_page
        self.manager = SyncManager(ctx=context)
        self.manager.start(_ignore_sigint)
        self.queue: Any = self.manager.Queue(self.LIMIT)

    def drain(self) -> None:
        """Pass every event waiting (at most :attr:`LIMIT`) to ``on_page``, oldest first."""
        for _ in range(self.LIMIT):
            if self.queue is None:
                return
            try:
                source, page, pages = self.queue.get_nowait()
            except queue.Empty:
                return
            except Exception:  # the manager process died: no more events
                self.queue = None
                return
            self.on_page(source, page, pages)

    def close(self) -> None:
        self.queue = None
        self.manager.shutdown()  # asks, then terminates it after a second


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _mp_context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") and "fork" in methods else None)


def iter_outcomes(
    paths: Iterable[Any],
    task: str = "report",
    *,
    jobs: Optional[int] = None,
    edition: str = "auto",
    chunksize: int = 8,
    max_bytes: Optional[int] = MAX_BYTES,
    pages: Optional[Callable[[str, int, int], None]] = None,
) -> Iterator[Outcome]:
    """One :class:`Outcome` per path, in the order of ``paths``, computed by ``jobs`` processes.

    ``task`` is ``"report"`` (the payload is the Report), ``"validate"`` or an
    output format name (the payload is that writer's encoding).  Work is sent
    in chunks of ``chunksize`` files with at most ``4 × jobs`` chunks in flight,
    so memory stays flat however long ``paths`` is (it may be a lazy iterator).
    With ``jobs=1`` everything runs in this process.  Closing the iterator early
    stops the workers.

    Items of ``paths`` that are already :class:`Outcome` s (the failures of
    :func:`scan_reports`) are passed through in place.  A file that is not a
    regular file, or larger than ``max_bytes`` (None or 0: no limit), is a
    failure, refused without being read.  A worker process that dies (killed,
    out of memory, a crash in a PDF library) does not stop the batch: the files
    it had are read again one at a time in a fresh pool, and a file during which
    a worker dies again is a failure of kind ``WorkerDied``.

    ``pages``, if given, is called as ``pages(source, page, count)`` as OCR starts
    on a page of a file (a scan takes seconds a page): in this process with
    ``jobs=1``; else the workers' events come through a bounded queue, passed on
    while this process waits for their results, and every event of a file comes
    before its outcome.  Events may be dropped, never the outcomes.
    """
    jobs = default_jobs() if not jobs or jobs < 1 else jobs
    chunks = _chunks(paths, max(1, chunksize))
    if jobs == 1:
        for chunk in chunks:
            for item in chunk:
                yield _work_one(task, edition, item, max_bytes, pages)
        return
    _warm_up()
    events = _PageEvents(_mp_context(), pages) if pages is not None else None
    try:
        pool = _Pool(jobs, events)
    except BaseException:
        if events is not None:
            events.close()
        raise
    pending: deque[tuple[list[Any], Optional[Future[list[Outcome]]]]] = deque()

    def submit(chunk: list[Any]) -> None:
        try:
            pending.append((chunk, pool.submit((task, edition, chunk, max_bytes))))
        except BrokenProcessPool:  # an earlier chunk broke it: that one will say so
            pending.append((chunk, None))

    def take() -> Iterator[Outcome]:
        chunk, future = pending.popleft()
        try:
            if future is None:
                raise BrokenProcessPool
            yield from pool.result(future)
            return
        except BrokenProcessPool:
            pass
        # A worker died: every chunk in flight is suspect.  Read their files again,
        # one at a time, in a fresh pool; a file that kills its worker again fails.
        suspects = [chunk] + [c for c, _ in pending]
        pending.clear()
        pool.restart()
        for item in (p for c in suspects for p in c):
            yield pool.alone(task, edition, item, max_bytes)

    try:
        for chunk in chunks:
            submit(chunk)
            while len(pending) >= 4 * jobs:
                yield from take()
        while pending:
            yield from take()
    finally:
        pool.stop()
        if events is not None:
            events.close()


class _Pool:
    """A process pool that survives the death of a worker (``ProcessPoolExecutor`` reports it, ``Pool`` hangs)."""

    def __init__(self, jobs: int, events: Optional[_PageEvents] = None) -> None:
        self.jobs = jobs
        self.events = events
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        events = self.events.queue if self.events is not None else None
        return ProcessPoolExecutor(self.jobs, mp_context=_mp_context(), initializer=_worker_init, initargs=(events,))

    def submit(self, args: tuple[str, str, list[Any], Optional[int]]) -> "Future[list[Outcome]]":
        return self.executor.submit(_work_chunk, args)

    def result(self, future: "Future[list[Outcome]]") -> list[Outcome]:
        """``future.result()``, or :class:`BrokenProcessPool` when a worker has been dead a while without the
        executor noticing (one killed in the middle of sending a result leaves it waiting for the rest).
        Page events (see :class:`_PageEvents`) are passed on while it waits, and once more at the end."""
        events = self.events
        dead_since: Optional[float] = None
        while True:
            try:
                done = future.result(timeout=0.5 if events is None else 0.1)
                if events is not None:
                    events.drain()  # a worker sends a page's event before the file's outcome
                return done
            except TimeoutError:
                if events is not None:
                    events.drain()
                processes = (getattr(self.executor, "_processes", None) or {}).values()
                if dead_since is None and any(p.exitcode is not None for p in processes):
                    dead_since = time.monotonic()
                if dead_since is not None and time.monotonic() - dead_since > 5:
                    raise BrokenProcessPool("a worker process died") from None

    def alone(self, task: str, edition: str, item: Any, max_bytes: Optional[int]) -> Outcome:
        """The outcome of one file, read alone; a worker that dies on it makes it a ``WorkerDied`` failure."""
        try:
            return self.result(self.submit((task, edition, [item], max_bytes)))[0]
        except BrokenProcessPool:
            self.restart()
            source = item.source if isinstance(item, Outcome) else os.fspath(item)
            return Outcome(
                source, None, "the worker process died while reading this file (tried twice)", None, "WorkerDied"
            )

    def restart(self) -> None:
        self.stop()
        self.executor = self._new()

    def stop(self) -> None:
        """End the workers now (as ``Pool.terminate``): a batch that stops early does not wait for them."""
        executor = self.executor
        processes = list((getattr(executor, "_processes", None) or {}).values())
        manager = getattr(executor, "_executor_manager_thread", None)
        results = getattr(executor, "_result_queue", None)
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(5)
        # A worker ended while sending a result leaves the executor's thread waiting for the
        # rest of the message, and the exit of the interpreter waiting for that thread: with
        # every worker gone, closing our end of the pipe gives it an end of file.
        writer = getattr(results, "_writer", None)
        if writer is not None:
            try:
                writer.close()
            except OSError:  # pragma: no cover
                pass
        if manager is not None:
            manager.join(5)


def parse_many(
    paths: Iterable[str],
    *,
    jobs: Optional[int] = 1,
    edition: str = "auto",
    recursive: bool = True,
    max_bytes: Optional[int] = MAX_BYTES,
) -> Iterator[Outcome]:
    """Parse many report files (directories are searched with :func:`find_reports`).

    Yields an :class:`Outcome` per file, in order: ``outcome.payload`` is the
    :class:`~gov_disclosure.model.Report`, or ``outcome.error`` says why the file
    could not be read.  ``jobs`` processes parse in parallel (None: all cores).
    Folders that cannot be listed and symbolic link loops are failures in place;
    files over ``max_bytes`` (default :data:`MAX_BYTES`) and files that are not
    regular files (FIFOs, devices) are failures, refused without being read.

    >>> from gov_disclosure import to_dataframe
    >>> done = list(parse_many(["reports/"], jobs=None))               # doctest: +SKIP
    >>> df = to_dataframe((o.source, o.payload) for o in done if o.ok) # doctest: +SKIP
    """
    files: Iterable[Any] = scan_reports(paths) if recursive else iter(paths)
    return iter_outcomes(files, "report", jobs=jobs, edition=edition, max_bytes=max_bytes)


# --- progress bar ------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on a terminal (stderr), redrawn at most 10 times a second.

    Disabled (every method a no-op) unless ``enabled``; it appears only once a
    batch has run for ``delay`` seconds, so short runs stay quiet.  While OCR reads
    a scan (seconds a page) the line says which page: ``12/40 … · OCR scan.pdf page 3/17``
    (see :meth:`page`).
    """

    def __init__(
        self, total: Optional[int], stream: TextIO, enabled: bool, delay: float = 0.3, unit: str = "files"
    ) -> None:
        self.total = total
        self.stream = stream
        self.enabled = enabled
        self.delay = delay
        self.unit = unit
        self.done = 0
        self.start = time.monotonic()
        self._last = 0.0
        self._shown = False
        self._ocr: Optional[tuple[str, str, int, int]] = None  # (source, name, page, pages)

    def update(self, n: int = 1, source: Optional[str] = None) -> None:
        """Count ``n`` more items done and redraw if due; ``source`` is the file done (its OCR page leaves the line)."""
        self.done += n
        if source is not None and self._ocr is not None and self._ocr[0] == source:
            self._ocr = None
        if not self.enabled:
            return
        self._redraw(final=self.done == self.total)

    def page(self, source: str, page: int, pages: int) -> None:
        """Show that OCR is reading ``page`` of the ``pages`` of the file ``source`` (until it is done) and redraw if due."""
        if not self.enabled:
            return
        name = self._ocr[1] if self._ocr is not None and self._ocr[0] == source else None
        if name is None:
            name = os.path.basename(display_source(source) or "") or (display_source(source) or "")
        self._ocr = (source, name, page, pages)
        self._redraw(final=False)

    def _redraw(self, final: bool) -> None:
        now = time.monotonic()
        if now - self.start < self.delay or (now - self._last < 0.1 and not final):
            return
        self._last = now
        self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        width = shutil.get_terminal_size((80, 20)).columns
        if self.total:
            frac = min(1.0, self.done / self.total)
            if elapsed < 1.0 or rate <= 0:
                tail = f" {self.done}/{self.total} {frac:4.0%}"
            else:
                eta = (self.total - self.done) / rate
                tail = f" {self.done}/{self.total} {frac:4.0%} {rate:,.0f} {self.unit}/s eta {eta:,.0f}s"
            tail += self._ocr_text(width - len(tail) - 13)
            bar_w = max(10, width - _columns(tail) - 3)
            filled = int(bar_w * frac)
            line = "[" + "#" * filled + "-" * (bar_w - filled) + "]" + tail
        else:
            line = f"{self.done} {self.unit} {rate:,.0f}/s"
            line += self._ocr_text(width - len(line) - 1)
        self.stream.write("\r" + _fit(line, width - 1))
        self.stream.flush()
        self._shown = True

    def _ocr_text(self, room: int) -> str:
        """`` · OCR name page 3/17`` in at most ``room`` columns (the name cut in the middle), or ""."""
        if self._ocr is None:
            return ""
        _, name, page, pages = self._ocr
        where = f" page {page}/{pages}"
        left = room - len(" · OCR ") - len(where)  # for the name
        if left < 8:
            return " · OCR" + where if len(" · OCR" + where) <= room else ""
        if _columns(name) > left:
            half = (left - 1) // 2
            name = _fit(name, half) + "…" + _fit(name[::-1], left - 1 - half)[::-1]
        return f" · OCR {name}{where}"

    def clear(self) -> None:
        """Erase the bar (before printing something else to the terminal)."""
        if self._shown:
            width = shutil.get_terminal_size((80, 20)).columns
            self.stream.write("\r" + " " * (width - 1) + "\r")
            self.stream.flush()
            self._shown = False

    def close(self) -> None:
        """Erase the bar for good."""
        self.clear()
        self.enabled = False


# --- batch commands --------------------------------------------------------------------------


class BatchSummary(NamedTuple):
    """Counts from a batch: files read, files that failed (``(source, line, kind, error)``), issues.

    Only failures are kept (never reports), so memory grows with the number of
    unreadable files alone.
    """

    parsed: int
    failures: list[tuple[str, Optional[int], str, str]]
    errors: int = 0
    warnings: int = 0
    seconds: float = 0.0
    stopped: bool = False
    #: Files read in part: ``(source, line, message)`` (they count as parsed).
    partial: tuple[tuple[str, Optional[int], str], ...] = ()

    @property
    def total(self) -> int:
        """Files seen."""
        return self.parsed + len(self.failures)


class _Out(Protocol):
    def write(self, text: str, /) -> Any: ...


def batch_parse(
    files: Iterable[Any],
    writer: Writer,
    *,
    jobs: Optional[int] = None,
    edition: str = "auto",
    fail_fast: bool = False,
    progress: Optional[Progress] = None,
    max_bytes: Optional[int] = MAX_BYTES,
    written: Optional[Callable[[Outcome], None]] = None,
) -> BatchSummary:
    """Parse ``files`` and write every report (or failure row) with ``writer``, streaming.

    Reports are encoded by the workers and written in input order as they
    arrive; nothing is kept.  With ``fail_fast`` the batch stops at the first
    file that cannot be read (that failure is still written).  ``written`` is
    called with each outcome once it is written.  A failure to write (disk
    full, ``/dev/full``) raises :class:`~gov_disclosure.output.OutputError`;
    :class:`BrokenPipeError` (the reader went away) is raised as it is.
    """
    start = time.perf_counter()
    parsed = 0
    failures: list[tuple[str, Optional[int], str, str]] = []
    partial: list[tuple[str, Optional[int], str]] = []
    outcomes = iter_outcomes(
        files, writer.format, jobs=jobs, edition=edition, max_bytes=max_bytes, pages=_pages_for(progress)
    )
    run = _Run(outcomes, progress, fail_fast)
    for outcome in run:
        try:
            if outcome.error is None:
                writer.write_payload(outcome.payload)
            else:
                writer.write_failure(outcome.source, located(outcome.error, outcome.line))
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(writer.name, exc) from exc
        if outcome.error is None:
            parsed += 1
            if outcome.partial is not None:
                partial.append((outcome.source, *outcome.partial))
        else:
            failures.append((outcome.source, outcome.line, outcome.kind or "Error", outcome.error))
        if written is not None:
            written(outcome)
    return BatchSummary(
        parsed, failures, seconds=time.perf_counter() - start, stopped=run.stopped, partial=tuple(partial)
    )


def batch_validate(
    files: Iterable[Any],
    out: _Out,
    *,
    jobs: Optional[int] = None,
    edition: str = "auto",
    fail_fast: bool = False,
    progress: Optional[Progress] = None,
    warnings: bool = True,
    max_bytes: Optional[int] = MAX_BYTES,
) -> BatchSummary:
    """Validate ``files``, printing ``file:line: code message`` lines to ``out``.

    A file that cannot be read prints ``file:line: parse-error message``
    (``read-error`` when the file system refused it: see :data:`READ_ERROR_KINDS`).
    Warnings print as ``file:line: code warning: message`` unless ``warnings`` is false.
    File names that are not UTF-8 are printed with ``\\xNN`` escapes
    (:func:`~gov_disclosure.output.display_source`).  A failure to write ``out``
    raises :class:`~gov_disclosure.output.OutputError`.
    """
    start = time.perf_counter()
    parsed = errors = warns = 0
    failures: list[tuple[str, Optional[int], str, str]] = []
    clear = progress.clear if progress is not None and _isatty(out) else None
    outcomes = iter_outcomes(
        files, "validate", jobs=jobs, edition=edition, max_bytes=max_bytes, pages=_pages_for(progress)
    )
    run = _Run(outcomes, progress, fail_fast)
    for outcome in run:
        lines = []
        source = display_source(outcome.source)
        if outcome.error is None:
            parsed += 1
            for line, code, severity, message in outcome.payload:
                if severity == "error":
                    errors += 1
                    lines.append(f"{source}:{line}: {code} {message}")
                else:
                    warns += 1
                    if warnings:
                        lines.append(f"{source}:{line}: {code} {severity}: {message}")
        else:
            failures.append((outcome.source, outcome.line, outcome.kind or "Error", outcome.error))
            lines.append(f"{source}:{outcome.line or 1}: {outcome.code} {outcome.error}")
        if lines:
            if clear is not None:
                clear()
            try:
                out.write("\n".join(lines) + "\n")
            except BrokenPipeError:
                raise
            except OSError as exc:
                raise OutputError("stdout", exc) from exc
    return BatchSummary(parsed, failures, errors, warns, time.perf_counter() - start, run.stopped)


def _pages_for(progress: Optional[Progress]) -> Optional[Callable[[str, int, int], None]]:
    """Where OCR page events go: the bar, when it is shown; else nowhere (no events are even sent)."""
    return progress.page if progress is not None and progress.enabled else None


class _Run:
    """Drive a batch: yield each outcome, then tick the progress bar; stop after the
    first failure with ``fail_fast``; always close the workers and the bar."""

    def __init__(self, outcomes: Iterator[Any], progress: Optional[Progress], fail_fast: bool) -> None:
        self.outcomes = outcomes
        self.progress = progress
        self.fail_fast = fail_fast
        self.stopped = False

    def __iter__(self) -> Iterator[Any]:
        try:
            for outcome in self.outcomes:
                yield outcome
                if self.progress is not None:
                    self.progress.update(source=outcome.source)
                if self.fail_fast and outcome.error is not None:
                    self.stopped = True
                    break
        finally:
            self.outcomes.close()  # type: ignore[attr-defined]
            if self.progress is not None:
                self.progress.close()


def _columns(text: str) -> int:
    """The width of ``text`` on a terminal (a Chinese character takes two columns)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, columns: int) -> str:
    """The start of ``text`` that fits in ``columns``."""
    used = 0
    for i, c in enumerate(text):
        used += 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if used > columns:
            return text[:i]
    return text


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
