"""Pipeline stages, one per module; each is built from a StageContext by the registry."""
