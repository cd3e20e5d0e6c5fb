"""Human review of flags: the workflow (service.py), its refusals (errors.py) and the export
of decisions as training labels (command.py: `huoyan export-labels`)."""
