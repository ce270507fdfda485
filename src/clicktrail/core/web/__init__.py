"""The HTTP edge every family shares: the per-request pass (request ids, metrics, access log, CORS and
security headers, limits), strict JSON, typed errors and their statuses, logs and the OpenAPI document."""
