"""Monitoring: drift, fairness and review coverage, the checks that keep the models honest."""
