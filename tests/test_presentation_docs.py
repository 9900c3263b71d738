"""The README's presentation-day steps name the screens and buttons exactly as the dashboard shows them."""

from __future__ import annotations

import re
import tomllib

from kipp import db

SECTION = "## Presentation day from start to finish"


def _section() -> str:
    text = (db.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    return text[start : text.index("\n## ", start + len(SECTION))]


def _indonesian_labels() -> set[str]:
    """Every Indonesian text of the catalogue (kipp/locales/*.toml)."""
    labels: set[str] = set()

    def walk(node: dict) -> None:
        for key, value in node.items():
            if key == "id" and isinstance(value, str):
                labels.add(value)
            elif isinstance(value, dict):
                walk(value)

    for path in sorted((db.PROJECT_ROOT / "kipp" / "locales").glob("*.toml")):
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return labels


def test_every_screen_and_button_the_steps_name_is_on_the_dashboard() -> None:
    # Step titles are bold and end with a full stop; every other bold (a button) or italic (a page, tab,
    # heading or choice; "A → B" is a tab of a page) text is a label the organizer looks for on screen.
    section = _section()
    marked = re.findall(r"\*\*(.+?)\*\*", section, re.S) + re.findall(r"(?<![*\w])\*([^*]+?)\*(?![*\w])", section)
    texts = [" ".join(text.split()) for text in marked]  # a label may wrap onto the next line
    labels = [part for text in texts if not text.endswith(".") for part in text.split(" → ")]
    assert {"Buka penilaian", "Buka: tampilkan peringkat terkini", "Mulai seremoni", "Publikasikan hasil"} <= set(
        labels
    )
    missing = sorted(set(labels) - _indonesian_labels())
    assert not missing, f"README names labels the dashboard does not show: {missing}"


def test_the_steps_run_in_the_editions_lifecycle_order() -> None:
    section = _section()
    order = ["Buka penilaian", "Kunci nilai", "Mulai seremoni", "Publikasikan hasil"]
    assert [section.index(f"**{label}**") for label in order] == sorted(
        section.index(f"**{label}**") for label in order
    )
