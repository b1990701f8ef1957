"""Griffe extension: the reST markup of neuralab's numpydoc docstrings, as the site's Markdown.

numpydoc docstrings are reStructuredText: they link with roles (``:class:`Module```,
``:func:`~neuralab.train.fit```) and end a line with ``::`` before a literal block. A terminal's
``help()`` shows them as they are; mkdocstrings reads Markdown. This extension rewrites every
docstring of the package once it is loaded (the source files are not touched):

* a role becomes a cross-reference to the object it names, resolved from the docstring's own
  scope as Python would (``Module`` inside ``neuralab.nn`` is ``neuralab.nn.module.Module``),
  shown as code; a name that resolves outside neuralab, or not at all, stays plain code. The
  reference is optional: an object the site does not render keeps its text without a link.
* ``text::`` before an indented block becomes ``text:`` (Markdown already makes the indented
  block code); a line holding only ``::`` goes.
"""

from __future__ import annotations

import re

import griffe

ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|exc|data|obj|const):`([^`]+)`")
LITERAL = re.compile(r"::[ \t]*$", re.MULTILINE)
ONLY_LITERAL = re.compile(r"^[ \t]*::[ \t]*\n", re.MULTILINE)
_PACKAGE = "neuralab"


class RestMarkup(griffe.Extension):
    """Rewrite reST roles and literal-block markers in every docstring of the package."""

    def on_package(self, *, pkg: griffe.Module, **kwargs) -> None:
        for obj in _objects(pkg):
            if obj.docstring is not None:
                obj.docstring.value = to_markdown(obj.docstring.value, obj)


def plain(text: str) -> str:
    """Roles as code, without links (for summaries that the hooks copy into tables)."""
    return ROLE.sub(lambda match: f"`{_title(match.group(1))[0]}`", text)


def to_markdown(text: str, scope: griffe.Object) -> str:
    text = ROLE.sub(lambda match: _reference(match.group(1), scope), text)
    return LITERAL.sub(":", ONLY_LITERAL.sub("", text))


def _reference(target: str, scope: griffe.Object) -> str:
    """A role's target (``Module``, ``~a.b.C``, ``title <a.b.C>``) as Markdown."""
    title, target = _title(target)
    path = _resolve(target, scope)
    if path is None or not (path == _PACKAGE or path.startswith(_PACKAGE + ".")):
        return f"`{title}`"
    return f'<autoref identifier="{path}" optional><code>{title}</code></autoref>'


def _title(target: str) -> tuple[str, str]:
    """(the text to show, the dotted name) of a role's target."""
    explicit = re.fullmatch(r"(.+?)\s*<(.+)>", target)
    title, target = explicit.groups() if explicit else (None, target)
    short = target.startswith("~")
    target = target.lstrip("~.")
    if title is None:
        title = target.rsplit(".", 1)[-1] if short else target
    return title, target


def _resolve(target: str, scope: griffe.Object) -> str | None:
    """The full path of ``target`` seen from ``scope`` (its first name resolved as Python would)."""
    if target == _PACKAGE or target.startswith(_PACKAGE + "."):
        return target
    first, _, rest = target.partition(".")
    for where in (scope, *_parents(scope)):
        try:
            path = where.resolve(first)
        except (griffe.NameResolutionError, AttributeError, KeyError):
            continue
        return f"{path}.{rest}" if rest else path
    return None


def _parents(obj: griffe.Object):
    while obj.parent is not None:
        obj = obj.parent
        yield obj


def _objects(obj: griffe.Object):
    """``obj`` and everything defined in it (aliases, i.e. imported names, skipped)."""
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _objects(member)
