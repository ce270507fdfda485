"""Enrichment of a click: the country of an address (embedded geo-IP), the browser, OS and bot verdict of
a user agent, and address parsing."""
