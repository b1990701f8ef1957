"""MkDocs hook: the API reference, one generated page per public module of neuralab.

The public modules are found at build time: ``neuralab`` itself, every module or package
directly under it whose name does not start with an underscore, and the public subpackages of
those (``neuralab.autograd.ops``). So a new module appears in the reference (and in its
navigation) without an edit here. Each page is ``reference/NAME.md``
holding the mkdocstrings directive ``::: neuralab.NAME``, which renders the module's docstring
and the public members (its ``__all__``) from their numpydoc docstrings.

The page of ``neuralab`` itself lists every name of ``neuralab.__all__`` with its one-line
summary and a link to where it is documented; the names that no public module exports
(those defined in private modules, such as ``nl.config``) are documented on that page.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import logging
import pkgutil
from types import ModuleType

from mkdocs.structure.files import File
from rest_markup import plain

log = logging.getLogger("mkdocs.hooks.reference")

SECTION = "API reference"
FOLDER = "reference"


def public_modules() -> list[str]:
    """Dotted names of neuralab's public modules, ``neuralab`` first, then sorted."""
    import neuralab

    names = []
    for info in pkgutil.walk_packages(neuralab.__path__, "neuralab."):
        parts = info.name.split(".")
        if any(part.startswith("_") for part in parts):
            continue
        if len(parts) == 2 or info.ispkg:
            names.append(info.name)
    return ["neuralab", *sorted(names)]


def page_path(module: str) -> str:
    """reference/index.md for neuralab, reference/nn.md, reference/autograd.ops.md, ..."""
    return f"{FOLDER}/{module.removeprefix('neuralab.') if module != 'neuralab' else 'index'}.md"


def on_config(config):
    for item in config.nav:
        if isinstance(item, dict) and SECTION in item:
            section = item[SECTION]
            break
    else:
        raise ValueError(f"mkdocs.yml's nav needs a {SECTION!r} section for the API pages.")
    if page_path("neuralab") not in section:
        raise ValueError(f"mkdocs.yml's {SECTION!r} section must list {page_path('neuralab')}.")
    section += [{module: page_path(module)} for module in public_modules()[1:]]
    return config


def on_files(files, config):
    modules = public_modules()
    for module in modules:
        content = top_level_page(modules) if module == "neuralab" else module_page(module)
        files.append(File.generated(config, page_path(module), content=content))
    return files


def module_page(module: str) -> str:
    """``::: module``, plus the members hidden behind a submodule of the same name.

    A package whose ``__all__`` names submodules (``neuralab.lessons``), or that defines nothing
    itself (``neuralab.autograd.ops``), shows its submodules too.
    """
    value = _import(module)
    if value is None:
        return f"---\ntitle: {module}\n---\n\n::: {module}\n"
    own = [name for name, member in vars(value).items() if not name.startswith("_")
           and not isinstance(member, ModuleType)]
    lists_submodules = any(isinstance(getattr(value, name, None), ModuleType)
                           for name in getattr(value, "__all__", ()))
    shows_submodules = hasattr(value, "__path__") and (not own or lists_submodules)
    options = "\n    options:\n      show_submodules: true" if shows_submodules else ""
    blocks = [f"::: {module}{options}"]
    blocks += [f"::: {path}\n    options:\n      heading_level: 2"
               for name, path in exported(module).items() if path != f"{module}.{name}"]
    return f"---\ntitle: {module}\n---\n\n" + "\n\n".join(blocks) + "\n"


def exported(module: str) -> dict[str, str]:
    """{name: the path it is documented under} for the public names of ``module``.

    The names are its ``__all__``, or else the public names it defines itself. A function that
    shares its name with a submodule of the package (``nl.viz.graph`` in ``viz/graph.py``) is
    hidden by the submodule in the package's documentation, so it is documented under its own
    module's path (``neuralab.viz.graph.graph``).
    """
    value = _import(module)
    if value is None:
        return {}
    names = getattr(value, "__all__", None)
    if names is None:
        names = [name for name, member in vars(value).items() if not name.startswith("_")
                 and getattr(member, "__module__", None) == module]
    paths = {}
    for name in names:
        member = getattr(value, name)
        if isinstance(member, ModuleType):
            continue
        shadowed = (hasattr(value, "__path__")
                    and importlib.util.find_spec(f"{module}.{name}") is not None)
        paths[name] = f"{member.__module__}.{name}" if shadowed else f"{module}.{name}"
    return paths


def top_level_page(modules: list[str]) -> str:
    """``neuralab``'s page: every name of ``__all__``, linked to the page documenting it."""
    import neuralab

    exports = {name: path for module in modules[1:] for name, path in exported(module).items()}
    rows, here = [], []
    for name in neuralab.__all__:
        if name == "__version__":
            continue
        try:
            value = getattr(neuralab, name)
        except ImportError as err:  # a name behind an optional extra that is not installed
            rows.append(f"| `nl.{name}` | not importable here: {err} |")
            continue
        if isinstance(value, ModuleType):
            target = value.__name__
        elif name in exports:
            target = exports[name]
        else:
            target = f"neuralab.{name}"
            here.append(name)
        rows.append(f"| [`nl.{name}`][{target}] | {_summary(value)} |")
    defined_here = [f"::: neuralab.{name}\n    options:\n      heading_level: 3" for name in here]
    return "\n".join([
        "---", "title: neuralab", "---", "",
        "::: neuralab", "    options:", "      members: false", "",
        "## Every public name", "",
        "`import neuralab as nl`; subpackages load on first use.", "",
        "| name | what it is |", "|---|---|", *rows, "",
        "## Defined here", "",
        "The names above that no public submodule exports.", "",
        "\n\n".join(defined_here), "",
    ])


def _import(module: str) -> ModuleType | None:
    """The module, or None when it needs an optional extra that is not installed.

    Its page then shows what the source says (mkdocstrings reads the files, it does not import
    them), without the names that only importing it finds.
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:
        log.info(f"{module} is not importable here ({err}); its page is built from the source.")
        return None


def _summary(value) -> str:
    doc = inspect.getdoc(value) or ""
    first = doc.strip().split("\n\n")[0].replace("\n", " ")
    return plain(first).replace("|", "\\|")
