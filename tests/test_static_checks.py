"""Source checks: no escaping or CSRF opt-outs and no raw SQL outside an explicit allow-list;
no inline script, style or event handlers in templates (the CSP would block them)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", ".git", "node_modules", "migrations", "staticfiles", "__pycache__"}
SKIP_PATHS = {"static/vendor"}
THIS_FILE = Path(__file__).resolve().relative_to(ROOT).as_posix()

FORBIDDEN = {
    "mark_safe": re.compile(r"\bmark_safe\b"),
    "|safe": re.compile(r"\|\s*safe(seq)?\b"),
    "autoescape off": re.compile(r"{%\s*autoescape\s+off\s*%}"),
    ".raw(": re.compile(r"\.raw\("),
    ".extra(": re.compile(r"\.extra\("),
    "RawSQL": re.compile(r"\bRawSQL\b"),
    "csrf_exempt": re.compile(r"\bcsrf_exempt\b"),
}

# (path, pattern) -> why it is safe. Keep this short; each entry is reviewed.
ALLOWED: dict[tuple[str, str], str] = {}


def source_files(*suffixes: str) -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if any(part in SKIP_DIRS for part in rel.parts):
            continue
        if any(rel.as_posix().startswith(skip) for skip in SKIP_PATHS):
            continue
        if path.is_file() and path.suffix in suffixes:
            found.append(path)
    return found


def test_the_scan_sees_the_project() -> None:
    files = {p.relative_to(ROOT).as_posix() for p in source_files(".py", ".html")}
    assert "pilot/settings.py" in files and "templates/base.html" in files
    assert not any(f.startswith((".venv/", "static/vendor/")) for f in files)


def test_no_unsafe_constructs_outside_the_allow_list() -> None:
    found = []
    for path in source_files(".py", ".html"):
        rel = path.relative_to(ROOT).as_posix()
        if rel == THIS_FILE:
            continue
        text = path.read_text(encoding="utf-8")
        for name, pattern in FORBIDDEN.items():
            for match in pattern.finditer(text):
                if (rel, name) not in ALLOWED:
                    line = text.count("\n", 0, match.start()) + 1
                    found.append(f"{rel}:{line}: {name}")
    assert not found, "Unreviewed unsafe constructs (see ALLOWED):\n" + "\n".join(found)


def test_allow_list_has_no_stale_entries() -> None:
    for (rel, name), reason in ALLOWED.items():
        assert reason, f"{rel}: say why {name} is safe there"
        text = (ROOT / rel).read_text(encoding="utf-8")
        assert FORBIDDEN[name].search(text), f"{rel} no longer uses {name}: drop the entry"


INLINE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "style= attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "on*= event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_templates_have_nothing_the_csp_would_block() -> None:
    found = []
    for path in source_files(".html"):
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        for name, pattern in INLINE.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{rel}:{line}: {name}")
    assert not found, "\n".join(found)


def test_the_patterns_match_what_they_are_meant_to() -> None:
    samples = {
        "mark_safe": "from django.utils.safestring import mark_safe",
        "|safe": "{{ note|safe }}",
        "autoescape off": "{% autoescape off %}",
        ".raw(": 'Staff.objects.raw("select")',
        ".extra(": "qs.extra(where=[])",
        "RawSQL": "RawSQL('1', [])",
        "csrf_exempt": "@csrf_exempt",
    }
    for name, sample in samples.items():
        assert FORBIDDEN[name].search(sample), name
    assert INLINE["inline <script>"].search("<script>alert(1)</script>")
    assert not INLINE["inline <script>"].search('<script src="/static/x.js" defer></script>')
    assert INLINE["style= attribute"].search('<div class="a" style="color:red">')
    assert INLINE["on*= event handler"].search('<button onclick="go()">')
