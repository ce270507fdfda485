"""The README and the docs render as written: parsed with a Markdown parser (markdown-it, CommonMark with
GitHub's tables), no table row stands outside a table (a broken header line turns a whole table into pipe
text), and every relative link names a file that exists."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

ROOT = Path(__file__).parents[1]
PAGES = sorted([ROOT / "README.md", ROOT / "SECURITY.md", *ROOT.glob("docs/*.md"), *ROOT.glob("bench/*.md")])
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def tokens(page: Path) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(page.read_text())


def pipe_rows_in_paragraphs(page: Path) -> list[str]:
    found = []
    parsed = tokens(page)
    for before, token in pairwise(parsed):
        if token.type == "inline" and before.type == "paragraph_open":
            found += [line for line in token.content.splitlines() if TABLE_ROW.match(line)]
    return found


def relative_links(page: Path) -> list[str]:
    inline = [t for t in tokens(page) if t.type == "inline"]
    hrefs = [str(c.attrs["href"]) for t in inline for c in t.children or [] if c.type == "link_open"]
    return [h for h in hrefs if not EXTERNAL.match(h) and not h.startswith("#")]


def test_the_pages_are_found():
    assert {"README.md", "SECURITY.md", "loyalty.md", "partners.md", "signage.md", "surveys.md"} <= {
        p.name for p in PAGES
    }


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_table_row_outside_a_table(page):
    assert pipe_rows_in_paragraphs(page) == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_names_a_file_that_exists(page):
    missing = [h for h in relative_links(page) if not (page.parent / h.split("#")[0]).exists()]
    assert missing == []


def test_the_checks_catch_what_they_look_for(tmp_path):
    """A table whose header line is broken, and a link to nothing, are both found."""
    page = tmp_path / "page.md"
    page.write_text("Intro\n| a | b |\n| 1 | 2 |\n\n[gone](nowhere.md) [here](page.md)\n")
    assert pipe_rows_in_paragraphs(page) == ["| a | b |", "| 1 | 2 |"]
    assert relative_links(page) == ["nowhere.md", "page.md"]
