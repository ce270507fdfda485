"""``make bench``: every benchmark, one after another, printing figures."""

import sys

from . import click_ingest, driver_choice

if __name__ == "__main__":
    sys.argv = sys.argv[:1]
    driver_choice.main()
    print()
    click_ingest.main()
