"""The dossier: everything the service knows about one entity, every read recorded."""
