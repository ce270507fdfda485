"""What every family shares. Nothing in here imports a family."""
