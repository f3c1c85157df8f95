"""The `modelatlas` program: runs one command line of the CLI and turns every failure into one line and exit 1."""

from __future__ import annotations

import sys

import typer

from modelatlas.cli import Session, app
from modelatlas.graph.errors import AtlasError, described, one_line


def run(argv: list[str]) -> int:
    """Run one command line and return its exit status: 0, or 1 with one `modelatlas: error: …` line on stderr.

    Every failure ends here as one line (a usage mistake, a ModelAtlas error, a full disk, a bug);
    `--debug` adds the traceback above it. Nothing else is written to stderr unless `--verbose`.
    """
    from typer.exceptions import TyperException

    session = Session()
    try:
        result = app(args=argv or ["--help"], prog_name="modelatlas", standalone_mode=False, obj=session)
        return result if isinstance(result, int) else 0
    except TyperException as err:  # a usage mistake: an unknown option, a missing or malformed argument
        ctx = getattr(err, "ctx", None)
        where = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
        return _fail(session, f"{err.format_message()}{where}")
    except typer.Abort:
        return _fail(session, "aborted")
    except AtlasError as err:
        return _fail(session, str(err))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()  # the reader went away (`| head`): stop quietly
        return 0
    except OSError as err:  # the disk is full, a folder is read-only: say which file and why
        where = f"{err.filename}: " if err.filename else ""
        return _fail(session, f"{where}{err.strerror or described(err)}")
    except MemoryError:
        return _fail(session, "out of memory")
    except Exception as err:  # a bug of ours: still one line, and the traceback on demand
        return _fail(session, f"unexpected {described(err)} (run again with --debug for the traceback)")


def _fail(session: Session, message: str) -> int:
    if session.debug:
        import traceback

        traceback.print_exc()
    print(f"modelatlas: error: {one_line(message, 2000)}", file=sys.stderr)
    return 1


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not fail again on the closed pipe."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main() -> None:
    """Entry point of the `modelatlas` program."""
    status = run(sys.argv[1:])
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    sys.exit(status)


if __name__ == "__main__":
    main()
