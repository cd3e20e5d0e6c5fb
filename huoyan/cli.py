"""The `huoyan` command: one group, sub-commands loaded lazily from the package that owns them.

Lazy loading keeps `huoyan --help` fast: pandas, DuckDB or LightGBM are imported only by the
sub-command that needs them.
"""

from __future__ import annotations

import importlib

import click

# sub-command name -> "module:attribute" of a click.Command, in the order `--help` lists them.
COMMANDS: dict[str, str] = {
    "generate": "data_contracts.synthetic.command:generate",
    "validate": "data_contracts.commands:validate",
    "import-ocds": "data_contracts.ocds.command:import_ocds",
    "indicators": "features.ocds.command:indicators",
    "features": "features.command:features",
    "train": "training.command:train",
    "promote": "training.command:promote",
    "rank": "serving.ranking.command:rank",
    "serve": "serving.api.command:serve",
    "export-labels": "serving.review.command:export_labels",
    "audit": "serving.audit_command:audit",
    "monitor": "monitoring.command:monitor",
    "retrain": "monitoring.retrain:retrain",
    "rules": "rulebook.command:rules",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listing help texts would import every sub-command; the names are enough here.
        with formatter.section("Commands"):
            formatter.write_text(", ".join(COMMANDS) + "  (huoyan COMMAND --help for each)")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="huoyan")
def main() -> None:
    """火眼 huoyan: risk scoring and early warning for anti-corruption supervision."""
