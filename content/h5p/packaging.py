"""Builds .h5p packages of our own content types, offline, from content/h5p_libraries."""

from pathlib import Path

from pyh5p import LibraryStore, build

LIBRARIES_DIR = Path(__file__).resolve().parent.parent / "h5p_libraries"

CHOICE_LIBRARY = "H5P.PcmdChoice 1.1"


def build_choice_package(
    *, title: str, question: str, choices: list[dict], language: str = "vi"
) -> bytes:
    """A single-choice question as .h5p bytes.

    `choices` are dicts {"text": str, "correct": bool, "feedback": str (optional)}. The question
    may hold <p>, <strong> and <em>; pyh5p drops other tags and escapes the plain-text fields.
    """
    content = {
        "question": question,
        "choices": [
            {
                "text": choice["text"],
                "correct": bool(choice.get("correct", False)),
                **({"feedback": choice["feedback"]} if choice.get("feedback") else {}),
            }
            for choice in choices
        ],
    }
    # fetch=False with our own store: build() would otherwise call the H5P Hub.
    package = build(
        CHOICE_LIBRARY,
        content,
        store=LibraryStore(LIBRARIES_DIR),
        title=title,
        language=language,
        fetch=False,
    )
    return package.package_bytes()
