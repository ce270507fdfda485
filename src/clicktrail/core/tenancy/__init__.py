"""Tenancy: apps and their credentials and tokens (``apps.tenant`` scopes every query to one app), and
who acts on them: dashboard users, roles, sign-in sessions, the audit log."""
