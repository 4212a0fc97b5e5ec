"""Write docs/cli.md from the commands' own --help, so the CLI reference cannot drift.

python tools/cli_reference.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from rustcase.cli import main  # noqa: E402


def cli_reference() -> str:
    """The CLI reference as Markdown: ``--help`` of the group and of every command."""
    runner = CliRunner()
    parts = ["# CLI reference", "", "Generated from `--help` by `python tools/cli_reference.py`; do not edit.", ""]
    for args in [[], *([c] for c in sorted(main.commands))]:
        help_text = runner.invoke(main, [*args, "--help"], prog_name="rustcase", terminal_width=100).output
        parts += [f"## rustcase {' '.join(args)}".rstrip(), "", "```", help_text.rstrip(), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    (ROOT / "docs" / "cli.md").write_text(cli_reference(), encoding="utf-8")
