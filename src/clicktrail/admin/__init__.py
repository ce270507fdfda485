"""The admin API (``/admin/v1``): apps, credentials, config, events. Errors are RFC 9457 problem+json."""
