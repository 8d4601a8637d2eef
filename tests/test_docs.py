"""The documentation matches the tree: the "Layout" section of docs/development.md names
every package and top-level module under familieplan/ and nothing that does not exist.

The list is read from the tree at test time, so a package added, removed or renamed
fails this test until the section says so. Also: the links between README.md and the
pages of docs/ resolve, and the README stays short."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "familieplan"
DEVELOPMENT = ROOT / "docs" / "development.md"
ENTRY = re.compile(r"^- `familieplan/([^`]+)`")


def layout_section() -> str:
    text = DEVELOPMENT.read_text(encoding="utf-8")
    match = re.search(r"^## Layout\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, "docs/development.md has no '## Layout' section"
    return match.group(1)


def named_in_layout() -> list[str]:
    """The entries of the section: `familieplan/name.py` or `familieplan/name/`, one a line."""
    return [m.group(1) for line in layout_section().splitlines() if (m := ENTRY.match(line))]


def in_tree() -> set[str]:
    """Every package (a folder with __init__.py) and top-level module of familieplan/."""
    packages = {f"{p.parent.name}/" for p in PACKAGE.glob("*/__init__.py")}
    modules = {p.name for p in PACKAGE.glob("*.py")}
    return packages | modules


def test_the_layout_names_every_package_and_module():
    named = named_in_layout()
    missing = sorted(in_tree() - set(named))
    assert not missing, f"docs/development.md, 'Layout': add a line for {missing}"


def test_the_layout_names_nothing_that_does_not_exist():
    named = named_in_layout()
    gone = sorted(name for name in named
                  if not (PACKAGE / name).is_file() and not (name.endswith("/") and (PACKAGE / name).is_dir()))
    assert not gone, f"docs/development.md, 'Layout': remove or rename the lines for {gone}"
    assert len(named) == len(set(named)), "a line is there twice"


def test_the_layout_section_is_parsed():
    """The parser sees the section's entries, so the two tests above cannot pass on a
    section it no longer understands."""
    named = named_in_layout()
    assert "api.py" in named and "cli/" in named and any(name.endswith("/") for name in named)


LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(page: Path) -> set[str]:
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as '-'."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    found = set()
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
        found.add(slug.replace(" ", "-"))
    return found


def test_links_between_the_pages_resolve():
    """Every relative link of README.md and docs/*.md names a file that exists and, with a
    '#', a heading of it (the README's sections moved to docs/: no link is left dangling)."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = []
    for page in pages:
        prose = re.sub(r"`[^`]*`", "", re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S))
        for target in LINK.findall(prose):
            if "://" in target or target.startswith("mailto:"):
                continue
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.exists() or (anchor and linked.suffix == ".md" and anchor not in anchors(linked)):
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, broken


def test_the_readme_stays_short():
    """The README is for the people who use the tool; detail goes into docs/."""
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 300
