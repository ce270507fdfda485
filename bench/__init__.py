"""Load benchmarks. They print figures; nothing here asserts a timing."""
