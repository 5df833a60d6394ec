"""Validators shared by the apps' model fields, so forms, imports and services get them."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.utils.deconstruct import deconstructible

# Format characters (bidirectional marks, embeddings, overrides and isolates; zero-width
# spaces and joiners; word joiners; the byte-order mark; soft hyphens), control characters,
# and line and paragraph separators. None shows, and the direction ones make a name read
# differently from what is stored: after U+202E the rest of a name is shown backwards.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def hidden_characters(value: str) -> list[str]:
    """The invisible or direction-changing characters in ``value``, each once, in order."""
    return list(dict.fromkeys(c for c in value if unicodedata.category(c) in HIDDEN_CATEGORIES))


def describe_character(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'CONTROL CHARACTER')}"


def no_invisible_controls(value: object) -> None:
    """Names (people, districts, schools, cohorts, colleges, courses) are refused when
    they hold a character that does not show or that turns the text around."""
    found = hidden_characters(str(value))
    if found:
        raise ValidationError(
            "This contains %(which)s that %(verb)s invisible or change%(s)s the direction of "
            "the text, so it would read differently from what is stored. Remove %(it)s.",
            code="invisible_character",
            params={
                "which": (
                    f"a hidden character ({describe_character(found[0])})"
                    if len(found) == 1
                    else f"hidden characters ({', '.join(map(describe_character, found))})"
                ),
                "verb": "is" if len(found) == 1 else "are",
                "s": "s" if len(found) == 1 else "",
                "it": "it" if len(found) == 1 else "them",
            },
        )


@deconstructible
class MaxChars:
    """A text's maximum, with a message that names the field."""

    message = "%(label)s can be up to %(limit)s characters; this has %(length)s."
    code = "max_length"

    def __init__(self, limit: int, label: str) -> None:
        self.limit, self.label = limit, label

    def __call__(self, value: object) -> None:
        length = len(str(value))
        if length > self.limit:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"label": self.label, "limit": f"{self.limit:,}", "length": f"{length:,}"},
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MaxChars) and (other.limit, other.label) == (
            self.limit,
            self.label,
        )


SIGN_IN_DOMAIN_SEPARATORS = re.compile(r"[\s,;]+")
_domain_name = DomainNameValidator(accept_idna=False)


def split_domains(value: str) -> list[str]:
    """The domains of a list typed with commas, semicolons or spaces, lowercased, each once."""
    return list(dict.fromkeys(d for d in SIGN_IN_DOMAIN_SEPARATORS.split(value.lower()) if d))


def email_domain_list(value: object) -> None:
    """A district's sign-in domains: plain domain names such as ``alpha.k12.ia.us`` (no
    ``@``, no address, no wildcard, at least one dot)."""
    bad = []
    for domain in split_domains(str(value)):
        try:
            _domain_name(domain)
            valid = "." in domain
        except ValidationError:
            valid = False
        if not valid:
            bad.append(domain)
    if bad:
        raise ValidationError(
            "Not a plain domain name: %(bad)s. Write domains such as alpha.k12.ia.us, "
            "separated by commas or spaces (no @ and no addresses).",
            code="sign_in_domain",
            params={"bad": ", ".join(bad)},
        )
