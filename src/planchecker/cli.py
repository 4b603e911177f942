"""The command line: parse arguments, call the API, hand the result to a presenter.

Exit codes (interface.md): 0 every rule passes, 1 a rule fails, 2 usage error or a
drawing that cannot be read: one line on stderr, never a traceback.  Heavy modules
(ezdxf, shapely) are imported inside the commands so that `--help` is instant.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click

from . import __version__
from .atomic import atomic_write, same_file_as_any
from .errors import PlancheckerError

FORMATS = ("text", "json", "markdown")


class UsageFailure(click.ClickException):
    """A click error with the exit code this tool promises for bad input (2, not 1)."""

    exit_code = 2


def default_lang() -> str:
    """Chinese where the locale is Chinese, English elsewhere."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


lang_option = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Report language (default: zh where LANG starts with zh, else en).",
)
standard_option = click.option(
    "--standard",
    default="jingzhou-2016",
    show_default=True,
    metavar="ID|PATH",
    help="A shipped standard's id or a standard TOML file.",
)
build_type_option = click.option(
    "--build-type",
    type=click.Choice(["new", "renovation"]),
    default=None,
    help="new (the default: total area >= 1000 m2) or renovation (>= 500 m2).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="planchecker")
def main() -> None:
    """Check DXF floor plans of community Party-member and public service centres
    (社区党员群众服务中心) against the Jingzhou 2016 notice."""


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@standard_option
@build_type_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the report to this file instead of standard output.",
)
@lang_option
@click.option(
    "--units",
    type=click.Choice(["mm", "cm", "m"]),
    default=None,
    help="Override the drawing's units when its header and the guess are wrong.",
)
@click.option(
    "--name", default=None, help="The centre's name in reports (default: file or folder)."
)
@click.option(
    "--png",
    "png_dir",
    type=click.Path(file_okay=False),
    default=None,
    metavar="DIR",
    help="Also write one annotated PNG per floor into DIR (<drawing>-F1.png, ...).",
)
@click.option(
    "--dpi",
    type=click.IntRange(20, 1200),
    default=150,
    show_default=True,
    help="Resolution of the --png pictures.",
)
@click.option(
    "--pdf",
    "pdf_file",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="FILE",
    help="Also write the review sheet (checklist and annotated floors) as a PDF.",
)
def review(
    files, standard, build_type, fmt, output, lang, units, name, png_dir, dpi, pdf_file
) -> None:
    """Review one centre: its FILEs are that centre's drawings (one DXF with every
    floor, or one DXF per floor)."""
    from .api import review as run_review
    from .presenting import render

    lang = lang or default_lang()
    if output is not None:
        _refuse_input_target(output, tuple(files), "--output")
    if pdf_file is not None:
        _refuse_input_target(pdf_file, tuple(files), "--pdf")
    result = _guarded(
        lambda: run_review(
            list(files),
            standard=standard,
            build_type=build_type,
            units=units,
            name=name,
        ),
        files,
    )
    text = render(result, fmt, lang)
    _emit(text, output, tuple(files))
    if png_dir is not None:
        _write_pictures(lambda: _pngs(result, png_dir, lang, dpi), png_dir, files)
    if pdf_file is not None:
        _write_pictures(lambda: _pdf(result, pdf_file, lang), pdf_file, files)
    sys.exit(1 if result.verdict == "fail" else 0)


@main.command()
@click.argument("directory", metavar="DIR")
@click.option(
    "--out",
    default="planchecker-batch",
    show_default=True,
    metavar="DIR",
    help="Folder for the reports, overlays, summary.csv, summary.json and index.html.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Centres reviewed at once (default: the number of cores).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=120.0,
    show_default=True,
    metavar="S",
    help="Seconds one centre may take; past that it is stopped and reported as an error.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Keep the results in OUT of centres whose drawings, settings, options, standard "
    "and planchecker version are unchanged.",
)
@standard_option
@build_type_option
@lang_option
@click.option(
    "--dpi",
    type=click.IntRange(20, 1200),
    default=150,
    show_default=True,
    help="Resolution of the PNG overlays.",
)
def batch(directory, out, jobs, timeout, resume, standard, build_type, lang, dpi) -> None:
    """Review every centre under DIR: each .dxf directly in DIR is a centre, and so is
    every folder below DIR (at any depth) that holds .dxf files, one per floor.  A
    centre.toml beside a centre's drawings may set its name, build_type and units.

    Exit code 0 when every centre passes, 1 when one fails or could not be read."""
    from .batch import main_summary, run_batch

    lang = lang or default_lang()
    stream = sys.stderr if sys.stderr.isatty() else None
    try:
        result = _guarded(
            lambda: run_batch(
                directory,
                out,
                jobs=jobs,
                timeout=timeout,
                resume=resume,
                standard=standard,
                build_type=build_type,
                lang=lang,
                dpi=dpi,
                progress=stream,
            ),
            [directory],
            doing="running the batch",
        )
    except KeyboardInterrupt:
        click.echo("interrupted: run the same command with --resume to finish", err=True)
        sys.exit(130)
    click.echo(main_summary(result, lang), nl=False)
    sys.exit(result.exit_code)


@main.command()
@standard_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: the rule reference (docs/rules.md).",
)
@click.option("--kinds", is_flag=True, help="List the rule kinds a standard file may use.")
@lang_option
def rules(standard, fmt, kinds, lang) -> None:
    """The rule catalogue, one line a rule."""
    from .catalogue import kinds_text, rules_markdown, rules_text
    from .standards import load_standard

    lang = lang or default_lang()
    spec = _guarded(lambda: load_standard(standard), [standard])
    if kinds:
        text = kinds_text()
    elif fmt == "markdown":
        text = rules_markdown(spec)
    else:
        text = rules_text(spec, lang)
    _emit(text, None)


def _pngs(result, directory: str, lang: str, dpi: int) -> None:
    from .presenting.overlay import write_pngs  # imports matplotlib: only when asked

    write_pngs(result, directory, lang=lang, dpi=dpi)


def _pdf(result, path: str, lang: str) -> None:
    from .presenting.review_sheet import write_pdf  # imports matplotlib: only when asked

    write_pdf(result, path, lang=lang)


def _write_pictures(action, target: str, files) -> None:
    """Run a picture writer: a file that cannot be written, or any failure while
    drawing, is one line on stderr and exit code 2, never a traceback."""
    try:
        _guarded(action, files, doing=f"drawing {target}", reraise_os=True)
    except OSError as exc:
        raise UsageFailure(f"{target}: cannot write ({exc.strerror or exc})") from None


def _guarded(action, files, doing: str = "reviewing", reraise_os: bool = False):
    """Run `action`; turn every failure into one line on stderr and exit code 2.

    With `reraise_os`, an OSError passes through for the caller to word (it knows
    which file it was writing).
    """
    try:
        return action()
    except PlancheckerError as exc:
        raise UsageFailure(str(exc)) from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except OSError as exc:
        if reraise_os:
            raise
        where = ", ".join(str(f) for f in files)
        raise UsageFailure(f"{where}: {exc.strerror or exc}") from None
    except Exception as exc:
        if os.environ.get("PLANCHECKER_DEBUG"):
            raise
        where = ", ".join(str(f) for f in files)
        raise UsageFailure(
            f"{where}: internal error while {doing} ({type(exc).__name__}: {exc}); "
            "please report it with the drawing attached"
        ) from None


def _emit(text: str, output: str | None, inputs: tuple[str, ...] = ()) -> None:
    """Write the report to standard output or, atomically, to `output`.

    Text that the output cannot encode (a lone surrogate from a damaged name, a
    console without CJK) is replaced, never a traceback; a full disk or a closed pipe
    is one line and exit code 2, so that exit 1 keeps meaning "a rule fails".
    """
    if not text.endswith("\n"):
        text += "\n"
    if output is None:
        stream = sys.stdout
        encoding = getattr(stream, "encoding", None) or "utf-8"
        data = text.encode(encoding, errors="replace")
        try:
            stream.flush()
            stream.buffer.write(data)
            stream.flush()
        except BrokenPipeError:  # `planchecker review ... | head`: the reader left
            _silence_stdout()
            sys.exit(2)
        except OSError as exc:
            _silence_stdout()
            raise UsageFailure(
                f"standard output: cannot write the report ({exc.strerror or exc})"
            ) from None
        return
    _refuse_input_target(output, inputs, "--output")
    try:
        atomic_write(Path(output), text.encode("utf-8", errors="replace"))
    except OSError as exc:
        raise UsageFailure(f"{output}: cannot write the report ({exc.strerror or exc})") from None


def _refuse_input_target(target: str, inputs: tuple[str, ...], flag: str) -> None:
    """A report or sheet written over one of the drawings would destroy it."""
    hit = same_file_as_any(target, inputs)
    if hit is not None:
        raise UsageFailure(
            f"{target}: {flag} names the input drawing {hit}; choose another file name"
        )


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush of a broken
    stream cannot print a second message."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":  # pragma: no cover
    main()
