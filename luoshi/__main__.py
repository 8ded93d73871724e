"""The ``luoshi`` console command.

``luoshi parse FILE`` runs the parser alone, without loading Django, so it
works with no database and no settings. Every other word is a Django
management command (``luoshi migrate``, ``luoshi demo``, ``luoshi units load``).
"""
import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "parse":
        from luoshi.parsing.cli import main as parse_main

        return parse_main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings")
    from django.core.management import execute_from_command_line

    argv[0] = "luoshi"
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
