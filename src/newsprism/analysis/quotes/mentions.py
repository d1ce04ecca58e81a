"""The person mentions that speaker resolution and pronoun resolution share (below both)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PersonMention:
    """One mention of a named speaker-candidate in an article."""

    start: int  # char offsets of the name as written, title included
    end: int
    name: str  # the name without title ("Jackie Goldberg"); for organisations the whole name
    title: str  # title as written before the name or in apposition, "" if none
    label: str  # PERSON, ORG, ... ("PERSON" when unknown but a proper-noun chain)
    token: int  # index of the head token in the Doc
    subject: bool  # the mention is the subject of its clause
    in_quote: bool
    roles: frozenset[str]  # role nouns ("engineer", "teacher", "president")
    gender: str | None = None  # "m"/"f" from an honorific or gendered title
