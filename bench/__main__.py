"""``make bench``: every benchmark, one after another, printing figures."""

from . import driver_choice

if __name__ == "__main__":
    driver_choice.main()
