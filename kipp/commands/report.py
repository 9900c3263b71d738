"""``python -m kipp report --edition YEAR --out FILE.pdf|FILE.xlsx``: write the official result."""

from __future__ import annotations

import argparse

from kipp.commands import CommandError, add_db, add_edition, add_method, open_database

HELP = "write the official result (PDF berita acara or Excel recap)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--edition, --out, --method (default: the edition's official method), --lang and --db."""
    add_edition(parser)
    parser.add_argument("--out", required=True, metavar="FILE.pdf|FILE.xlsx")
    add_method(parser)
    parser.add_argument("--lang", choices=["id", "en"], default="id")
    add_db(parser)


def run(args: argparse.Namespace) -> int:
    """Render the document, then replace ``--out`` in one step (never a half-written file)."""
    import os
    import tempfile
    from pathlib import Path

    from kipp import documents, queries

    out = Path(args.out)
    kind = documents.KINDS.get(out.suffix.lower())
    if kind is None:
        raise CommandError(f"--out must end in .pdf (berita acara) or .xlsx (recap), got {out.name!r}")
    if not out.parent.exists():
        raise CommandError(f"The folder {out.parent} does not exist")
    engine = open_database(args.db)
    try:
        method = args.method or queries.edition_record(engine, args.edition)["official_method"]
        content = documents.render(engine, args.edition, kind, method=method, lang=args.lang)
    except (queries.EditionNotFound, documents.DocumentError) as error:
        raise CommandError(str(error)) from error
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    print(f"Wrote {out} ({kind}, edition {args.edition}, method {method}, language {args.lang})")
    return 0
