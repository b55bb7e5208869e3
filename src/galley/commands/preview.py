"""`galley preview`: rebuild the HTML on each save and show it, reloaded, in the browser.

The HTML is the only format rendered on a save (the PDF and DOCX take seconds, and are not what
an author reads while writing); `galley build` renders them on request, and finds the HTML
already up to date. The page is served on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING

from galley.errors import ConfigError, GalleyError

if TYPE_CHECKING:
    from watchfiles import Change

    from galley.preview.rebuild import HtmlRebuild
    from galley.preview.server import Broadcast
    from galley.preview.watch import Watched

DEFAULT_PORT = 4848
# What the watcher yields: each batch of saved changes.
Batches = Generator[set[tuple["Change", str]], None, None]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"the port on 127.0.0.1 to serve the page on (default: {DEFAULT_PORT}; 0: any free)",
    )
    parser.add_argument(
        "--engine",
        default="auto",
        choices=("auto", "quarto", "pandoc"),
        help="as for `galley build`",
    )


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from galley.preview.rebuild import HtmlRebuild
    from galley.preview.server import Broadcast, PreviewServer
    from galley.preview.watch import Watched
    from galley.project import load_project

    project = load_project(args.project)
    start_page = project.output_path("html").relative_to(project.output_dir).as_posix()
    broadcast = Broadcast()
    rebuild = HtmlRebuild(args.project, args.engine)
    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port {args.port} is not a port; use 1 to 65535, or 0 for any free")
    try:
        server = PreviewServer(project.output_dir, start_page, broadcast, args.port)
    except OSError as exc:
        raise ConfigError(
            f"cannot serve on 127.0.0.1:{args.port}: {exc.strerror}; choose another port with "
            "--port (0: any free port)"
        ) from None
    serving = threading.Thread(target=server.serve_forever, name="galley-preview-server")
    try:
        # Watching starts before the first build, so a save made during it is not missed.
        watched = Watched(project)
        batches = watched.changes()
        next(batches)
        _attempt(rebuild, None, broadcast)
        serving.start()
        print(f"galley: previewing {server.url} (Ctrl-C stops)", flush=True)
        while True:
            batch = next(batches)
            if not batch:  # a quiet second: the whole render owed after a paragraph edit
                if rebuild.pending is not None:
                    _attempt(rebuild, None, broadcast, settle=True)
                continue
            # A file that came and went (an editor's or sed's scratch file) changed nothing.
            changed = sorted(
                {
                    Path(path)
                    for _, path in batch
                    if Path(path).exists() or Path(path).resolve() in rebuild.render_reads
                }
            )
            if not changed:
                continue
            _log("galley: changed " + ", ".join(project.rel(p) for p in changed))
            if not _attempt(rebuild, changed, broadcast):
                continue  # nothing written, or a paragraph edited: no new include, step or input
            fresh = _watched_now(args.project, rebuild, watched)
            if fresh.folders != watched.folders:  # a new include, step or input: watch anew
                watched, batches = fresh, _handover(batches, fresh)
    except KeyboardInterrupt:
        _log("galley: preview stopped")
        return 0
    finally:
        if serving.is_alive():
            server.shutdown()
        server.server_close()


def _handover(old: Batches, fresh: Watched) -> Batches:
    """The new watcher's batches, with nothing lost in the switch: the new watcher runs before
    the old one stops, and what the old one saw meanwhile (a save made while the folders were
    being listed again) comes first."""
    new = fresh.changes()
    next(new)  # an empty batch: the new watcher is running
    missed = next(old)  # pending changes, or an empty batch after a quiet second
    old.close()

    def batches() -> Batches:
        try:
            yield missed
            yield from new
        finally:
            new.close()

    return batches()


def _watched_now(root: str, rebuild: HtmlRebuild, watched: Watched) -> Watched:
    """What to watch after a rebuild; the same as before while the settings do not load."""
    from galley.preview.watch import Watched
    from galley.project import load_project

    try:
        return Watched(load_project(root), rebuild.render_reads)
    except GalleyError:
        return watched


def _attempt(
    rebuild: HtmlRebuild, changed: list[Path] | None, broadcast: Broadcast, *, settle: bool = False
) -> bool:
    """Rebuild (or settle a paragraph edit); tell the page the outcome: reload, or the error over
    the last good page. Whether what the build reads may have changed (its folders to watch)."""
    try:
        rebuilt = rebuild.settle() if settle else rebuild(changed)
    except GalleyError as exc:
        _log(f"galley: error: {exc}")
        broadcast.failed(str(exc))
        return True
    if rebuilt.changed:
        broadcast.built(rebuilt.page)
    elif broadcast.state.error is not None or settle:
        broadcast.settled()
    return rebuilt.changed and rebuilt.page is None
