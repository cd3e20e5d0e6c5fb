"""huoyan (火眼): risk scoring and early warning for anti-corruption supervision.

The distribution holds one package per concern (data_contracts, features, training, serving,
monitoring); this package carries only what they share: settings and the command line.
"""

__version__ = "0.1.0"
