"""Operations, not domain: the private PostgreSQL (``devdb``), ``make serve`` (``serve``),
backups and their restore (``backup``), and the task worker's safety nets (``worker``)."""
