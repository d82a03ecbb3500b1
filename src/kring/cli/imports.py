"""`kring import`, `kring export-contacts` and `kring restore`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kring.cli.errors import CliError
from kring.cli.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    imp = subparsers.add_parser(
        "import", help=_("import LinkedIn, vCard, Google, Outlook or calendar files")
    )
    imp.add_argument(
        "files", nargs="+", type=Path, help=_("files (a LinkedIn ZIP, .vcf, .csv, .ics)")
    )
    imp.add_argument("--user", help=_("the account (e-mail; default $KRING_USER)"))
    imp.add_argument(
        "--dry-run", action="store_true", help=_("show what would happen; write nothing")
    )
    imp.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    imp.set_defaults(handler=_import)

    export = subparsers.add_parser("export-contacts", help=_("people as vCard 4.0 or CSV"))
    export.add_argument("--user", help=_("the account (e-mail; default $KRING_USER)"))
    export.add_argument("--format", choices=["vcard", "csv"], default="vcard")
    export.add_argument("--query", default="", help=_("only people matching these words"))
    export.add_argument("--tier", choices=["A", "B", "C"])
    export.add_argument("-o", "--output", type=Path, help=_("write to this file"))
    export.set_defaults(handler=_export_contacts)

    restore = subparsers.add_parser(
        "restore", help=_("read a JSON backup (kring export) into a new account")
    )
    restore.add_argument("backup", type=Path)
    restore.set_defaults(handler=_restore)


def _import(args: argparse.Namespace) -> int:
    for path in args.files:
        if not path.is_file():
            raise CliError(_("%(file)s: no such file") % {"file": path})
    from kring.cli.django import resolve_user, setup

    setup()
    user = resolve_user(args.user)
    from django.db import DatabaseError
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.table import Table

    from kring.core.importing import ImportFileError
    from kring.imports.actions import import_preview, import_sources, sources_for
    from kring.imports.messages import file_error
    from kring.imports.messages import problem as problem_text
    from kring.lib import clock

    try:
        sources = sources_for(user, [(path.name, path) for path in args.files], now=clock.now())
    except ImportFileError as exc:
        raise CliError(_("%(problem)s; nothing imported") % {"problem": file_error(exc)}) from None
    console = Console(stderr=True)
    total = sum(_lines(path) for path in args.files)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
        disable=args.json,
    ) as bar:
        task = bar.add_task("Reading" if args.dry_run else "Importing", total=total)

        def progress(done: int) -> None:
            bar.update(task, completed=min(done, total))

        try:
            if args.dry_run:
                report = import_preview(owner=user, sources=sources)
            else:
                report = import_sources(owner=user, sources=sources, progress=progress)
        except ImportFileError as exc:
            raise CliError(
                _("%(problem)s; nothing imported") % {"problem": file_error(exc)}
            ) from None
        except DatabaseError as exc:
            detail = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
            raise CliError(
                _("the database refused the import (%(detail)s); nothing imported")
                % {"detail": detail}
            ) from None
    data = report.as_dict()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    out = Console()
    for f in data["files"]:
        out.print(f"{f['name']}: {f['format']} ({f['encoding']})", markup=False)
    counts = data["counts"]
    table = Table(title=_("Dry run: nothing written") if args.dry_run else _("Imported"))
    for name in counts:
        table.add_column(name, justify="right")
    table.add_row(*(str(counts[n]) for n in counts))
    out.print(table)
    for problem in data["problems"][:20]:
        verb = _("row skipped") if problem["skipped"] else _("row imported")
        where = _("%(file)s, line %(line)s") % {"file": problem["file"], "line": problem["line"]}
        out.print(f"  {where}, {problem['field']}: {problem_text(problem)} ({verb})", markup=False)
    if len(data["problems"]) > 20:
        out.print("  " + _("… and %(n)s more") % {"n": len(data["problems"]) - 20})
    if data["unknown"]:
        names = ", ".join(
            u["name"] or u["email"] or u["linkedin_url"] for u in data["unknown"][:10]
        )
        more = len(data["unknown"]) - 10
        if more > 0:
            names += " " + _("… and %(n)s more") % {"n": more}
        out.print(
            "  "
            + _(
                "In meetings and messages but not known to Kring: %(names)s (import the file "
                "on the import page to pick whom to add)"
            )
            % {"names": names},
            markup=False,
        )
    return 0


def _lines(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return max(count, 1)


def _export_contacts(args: argparse.Namespace) -> int:
    from kring.cli.django import resolve_user, setup

    setup()
    user = resolve_user(args.user)
    from kring.imports.export import people_as_csv, people_as_vcards
    from kring.lib import clock
    from kring.people.queries import people_search

    people = people_search(user, q=args.query, tier=args.tier or "")
    if args.format == "vcard":
        text = "".join(people_as_vcards(people))
    else:
        text = "".join(people_as_csv(people, clock.zone_of(user)))
    if args.output is None:
        print(text, end="")
        return 0
    if not args.output.parent.is_dir():
        raise CliError(
            _("--output: folder %(folder)s does not exist") % {"folder": args.output.parent}
        )
    args.output.write_text(text, encoding="utf-8", newline="")
    print(_("Wrote %(file)s") % {"file": args.output})
    return 0


def _restore(args: argparse.Namespace) -> int:
    if not args.backup.is_file():
        raise CliError(_("%(file)s: no such file") % {"file": args.backup})
    try:
        data = json.loads(args.backup.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CliError(
            _("%(file)s: not a JSON backup (%(detail)s)") % {"file": args.backup, "detail": exc}
        ) from None
    from kring.cli.django import setup

    setup()
    from kring.imports.restore import BackupError, account_restore

    try:
        restored = account_restore(data=data)
    except BackupError as exc:
        raise CliError(
            _("%(file)s: %(problem)s; nothing restored") % {"file": args.backup, "problem": exc}
        ) from None
    user = restored.user
    print(
        _(
            "Restored %(email)s: %(n)s people. Set a password with the password reset page "
            "before logging in."
        )
        % {"email": user.email, "n": user.people.count()}
    )
    for what, count in sorted(restored.skipped.items()):
        print("  " + _("not restored: %(count)s %(what)s") % {"count": count, "what": what})
    return 0
