"""Import of OCDS compiled releases (JSON Lines) into the input contract's tables.

`reader` streams the lines and reports malformed ones, `values` coerces OCDS scalars, `mapping`
maps one compiled release into contract rows, `tables` accumulates those rows into frames,
`summary` tallies what was mapped, skipped, missing and filled in, and `command` is the CLI.
Only `command` does I/O besides `reader.open_lines`.
"""
