"""The rule library: cards listed, validated, backtested, published and retired over the API."""
