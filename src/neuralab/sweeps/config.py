"""Sweep configs: read the TOML, check every key and value, expand the grid into cells.

A config has four sections::

    [data]                      # fixed for the whole sweep (prepared once, sent once)
    name = "moons"              # a built-in dataset name, or a CSV path with target = "column"
    validation = 0.2            # held-out fraction used as validation data
    [model]                     # base values of the options the grid does not vary
    hidden = [16, 16]
    epochs = 50
    [grid]                      # option = [values...]: every combination is one configuration
    activation = ["relu", "tanh"]
    lr = [0.1, 0.01]
    [sweep]
    seeds = 2                   # seeds 0 and 1, or a list such as [3, 7]

A cell is one configuration trained with one seed; its key is a hash of the data, the resolved
options and the seed, so re-running a sweep recognises the cells it has finished.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import sys
from dataclasses import dataclass, field
from numbers import Integral
from pathlib import Path

from .._validation import InvalidType, InvalidValue
from ..data.registry import SYNTHETIC_NAMES as SYNTHETIC_DATASETS
from ..experiment import CHECKS, ExperimentConfig
from ..optim.build import OPTIMIZERS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    try:
        import tomli as tomllib
    except ImportError as error:
        raise ImportError(
            'Reading sweep configs on Python 3.10 needs tomli: pip install "neuralab[sweep]"'
        ) from error

SECTIONS = ("data", "model", "grid", "sweep")
DATA_KEYS = ("name", "target", "n_samples", "noise", "validation", "seed")
SWEEP_KEYS = ("seeds",)
#: the model and fit options a sweep can set in [model] or vary in [grid], in column order
OPTIONS = ("activation", "optimizer", "lr", "batch_size", "hidden", "clip", "batch_norm",
           "dropout", "epochs")
#: data settings of the synthetic datasets that [grid] may vary too (each value: its own data)
DATA_GRID_KEYS = ("n_samples", "noise")


class SweepConfigError(ValueError):
    """A sweep config names an unknown section or key, or gives a value that is not allowed."""


def _invalid(where: str, value, expected: str) -> SweepConfigError:
    return SweepConfigError(f"Sweep config: {where} = {value!r} is not valid: {expected}.")


def _is_int(value) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _checked(option: str, value, where: str, hint: str = ""):
    """``value`` checked as ExperimentConfig checks its setting ``option`` (in canonical form),
    or a SweepConfigError saying so at ``where``."""
    try:
        return CHECKS[option](value, option, "the sweep config")
    except (InvalidValue, InvalidType) as error:
        raise _invalid(where, value, f"expected {error.expected}{hint}") from None
    except ValueError as error:  # an unknown name of a vocabulary, with the valid ones
        raise SweepConfigError(f"Sweep config: {where}: {error}") from None


def _option(option: str, value, where: str):
    """A [model] or [grid] option checked. TOML has no null, so "none" stands for None where
    a setting can be off (clip)."""
    if option == "clip":
        return None if value == "none" else _checked(option, value, where,
                                                      ' or "none" (no clipping)')
    return _checked(option, value, where)


def _check_keys(section: str, table, allowed) -> None:
    if not isinstance(table, dict):
        raise SweepConfigError(
            f"Sweep config: [{section}] must be a table of key = value lines. Got {table!r}."
        )
    for key in table:
        if key not in allowed:
            hint = ""
            if section in ("grid", "model") and key in DATA_KEYS:
                hint = (" Data settings belong in [data]; [grid] can vary only "
                        f"{' and '.join(DATA_GRID_KEYS)} (of a synthetic dataset).")
            raise SweepConfigError(
                f"Sweep config: unknown key {key!r} in [{section}]. Allowed keys: "
                f"{', '.join(allowed)}.{hint}"
            )


def _check_data(table: dict, base: Path | None) -> tuple[dict, str]:
    """The [data] settings in canonical form, and the dataset to load (CSV paths resolved)."""
    _check_keys("data", table, DATA_KEYS)
    if "name" not in table:
        raise SweepConfigError(
            'Sweep config: [data] needs name = "DATASET" (a built-in name such as "moons" or '
            '"mnist1d", or a path to a .csv file).'
        )
    name = table["name"]
    is_csv = isinstance(name, str) and name.lower().endswith(".csv")
    if not is_csv:
        _checked("dataset", name, "[data] name")
    if is_csv and not isinstance(table.get("target"), str):
        raise SweepConfigError(
            f'Sweep config: [data] name = {name!r} is a CSV file: add target = "COLUMN" '
            "naming its label column."
        )
    data = {"name": name, "validation": 0.2, "seed": 0, **table}
    data["validation"] = _checked("test_size", data["validation"], "[data] validation")
    data["seed"] = _checked("seed", data["seed"], "[data] seed")
    for key in DATA_GRID_KEYS:
        if key in data:
            data[key] = _checked(key, data[key], f"[data] {key}")
    path = name
    if is_csv and base is not None and not Path(name).is_absolute():
        path = str(base / name)
    return data, path


def _check_seeds(table: dict) -> list[int]:
    _check_keys("sweep", table, SWEEP_KEYS)
    seeds = table.get("seeds", 1)
    if _is_int(seeds) and seeds >= 1:
        return list(range(seeds))
    if (not isinstance(seeds, list) or not seeds or len(set(seeds)) != len(seeds)
            or not all(_is_int(s) and s >= 0 for s in seeds)):
        raise _invalid("[sweep] seeds", seeds,
                       "expected a number of seeds >= 1 (seeds 0, 1, ...) or a list of distinct "
                       "integers >= 0")
    return [int(s) for s in seeds]


def _check_grid(table: dict, model: dict, data: dict) -> dict[str, list]:
    _check_keys("grid", table, OPTIONS + DATA_GRID_KEYS)
    grid = {}
    for key, values in table.items():
        if key in model:
            raise SweepConfigError(
                f"Sweep config: {key!r} is set in [model] and varied in [grid]; keep it in one "
                "of them."
            )
        if key in DATA_GRID_KEYS and key in data:
            raise SweepConfigError(
                f"Sweep config: {key!r} is set in [data] and varied in [grid]; keep it in one "
                "of them."
            )
        if key in DATA_GRID_KEYS and str(data["name"]).lower() not in SYNTHETIC_DATASETS:
            raise SweepConfigError(
                f"Sweep config: [grid] {key} varies the data of a synthetic dataset "
                f"({', '.join(SYNTHETIC_DATASETS)}); {data['name']!r} is fixed."
            )
        if not isinstance(values, list) or not values:
            raise SweepConfigError(
                f"Sweep config: [grid] {key} = {values!r} is not valid: a grid entry is a "
                f"non-empty list of values, e.g. {key} = [{json.dumps(values)}]."
            )
        checked = [_option(key, value, f"[grid] {key}") for value in values]
        if len(set(checked)) != len(checked):
            raise SweepConfigError(f"Sweep config: [grid] {key} lists a value twice: {values!r}.")
        grid[key] = checked
    return grid


@dataclass(frozen=True)
class Cell:
    """One run of a sweep: a configuration (``options``) trained with one ``seed``."""

    options: dict
    grid: dict
    seed: int
    key: str

    def label(self) -> str:
        """The grid values, e.g. "activation=relu, lr=0.1"."""
        return configuration_label(self.grid)


def configuration_label(values: dict) -> str:
    """``{"activation": "relu", "lr": 0.1}`` as "activation=relu, lr=0.1"."""
    return ", ".join(f"{k}={format_value(v)}" for k, v in values.items()) or "base model"


def format_value(value) -> str:
    if isinstance(value, list | tuple):
        return "[" + ",".join(map(str, value)) + "]"
    return f"{value:g}" if isinstance(value, float) else str(value)


@dataclass
class SweepSpec:
    """A checked sweep config: fixed data, base options, the grid and the seeds."""

    data: dict
    model: dict
    grid: dict[str, list]
    seeds: list[int]
    dataset_path: str = field(default="", repr=False)

    def experiment_config(self) -> ExperimentConfig:
        """An ExperimentConfig with this sweep's data settings, for ``prepare_task``: its
        held-out part is the validation data."""
        data = self.data
        return ExperimentConfig(
            dataset=self.dataset_path or data["name"], target=data.get("target"),
            n_samples=data.get("n_samples"), noise=data.get("noise"),
            test_size=data["validation"], seed=data["seed"],
        )

    def experiment_config_for(self, data_values: dict) -> ExperimentConfig:
        """:meth:`experiment_config` with the data settings a grid varies (n_samples, noise)."""
        config = self.experiment_config()
        for key, value in data_values.items():
            setattr(config, key, value)
        return config

    def resolved_options(self, values: dict) -> dict:
        """Every option of :data:`OPTIONS`: the grid values, then [model], then the defaults
        (an absent lr is the optimizer's default); then the data settings the grid varies."""
        model_values = {k: v for k, v in values.items() if k not in DATA_GRID_KEYS}
        config = ExperimentConfig(**{**self.model, **model_values})
        options = {key: getattr(config, key) for key in OPTIONS}
        if config.lr is None:
            options["lr"] = OPTIMIZERS[config.optimizer].lr
        options.update((k, v) for k, v in values.items() if k in DATA_GRID_KEYS)
        return options

    @property
    def n_runs(self) -> int:
        """Configurations × seeds, counted without listing them."""
        return math.prod(len(values) for values in self.grid.values()) * len(self.seeds)

    def iter_cells(self):
        """Every configuration of the grid times every seed, configuration by configuration
        (a generator: a huge grid is never held in memory)."""
        keys = list(self.grid)
        for combination in itertools.product(*self.grid.values()):
            values = dict(zip(keys, combination, strict=True))
            options = self.resolved_options(values)
            for seed in self.seeds:
                yield Cell(options, values, seed, cell_key(self.data, options, seed))

    def cells(self) -> list[Cell]:
        """:meth:`iter_cells` as a list."""
        return list(self.iter_cells())

    def identity(self) -> dict:
        """What must not change between runs stored in one folder: the data and base model."""
        return json.loads(json.dumps({"data": self.data, "model": self.model}))


def cell_key(data: dict, options: dict, seed: int) -> str:
    """A stable key for one run: a hash of the data settings, the options and the seed."""
    text = json.dumps({"data": data, "options": options, "seed": seed}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def parse_config(source, base: Path | None = None) -> SweepSpec:
    """Check a sweep config and return its :class:`SweepSpec`.

    Parameters
    ----------
    source : dict, str or Path
        The config as a dict, TOML text, or the path of a TOML file.
    base : Path, optional
        Folder against which a relative CSV path in [data] is resolved (a file's own folder
        by default; the working directory for text and dicts).

    Raises
    ------
    SweepConfigError
        Naming the section, key and value at fault and what is allowed instead.
    FileNotFoundError
        If a path is given that does not exist.
    """
    table = load_table(source)
    if isinstance(source, Path) or (isinstance(source, str) and _looks_like_path(source)):
        base = base or Path(source).resolve().parent
    _check_keys("config", table, SECTIONS)
    model_table = table.get("model", {})
    _check_keys("model", model_table, OPTIONS)
    model = {key: _option(key, value, f"[model] {key}") for key, value in model_table.items()}
    data, path = _check_data(table.get("data", {}), base)
    grid = _check_grid(table.get("grid", {}), model, data)
    seeds = _check_seeds(table.get("sweep", {}))
    _check_combinations(model, grid)
    return SweepSpec(data, model, grid, seeds, dataset_path=path)


def _check_combinations(model: dict, grid: dict) -> None:
    """Refuse a config with configurations that cannot train (see
    ``experiment.check_combination``), naming them, before any work starts."""
    from ..experiment import check_combination

    varied = [key for key in ("batch_norm", "batch_size") if key in grid]
    choices = [grid[key] if key in grid else [model.get(key, getattr(ExperimentConfig, key))]
               for key in ("batch_norm", "batch_size")]
    for batch_norm, batch_size in itertools.product(*choices):
        try:
            check_combination(ExperimentConfig(batch_norm=batch_norm, batch_size=batch_size))
        except ValueError as error:
            where = (" in [grid]: remove one of the two values, or split the sweep in two"
                     if varied else "")
            raise SweepConfigError(
                f"Sweep config: batch_norm = {str(batch_norm).lower()} with batch_size = "
                f"{batch_size!r} cannot train{where}. {error}"
            ) from None


def _looks_like_path(text: str) -> bool:
    return "\n" not in text and "=" not in text and not text.lstrip().startswith("[")


def load_table(source) -> dict:
    """The raw dict of a config given as a dict, TOML text or a TOML file path."""
    if isinstance(source, dict):
        return source
    if isinstance(source, Path) or (isinstance(source, str) and _looks_like_path(source)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"No sweep config file at {str(path)!r}.")
        text, origin = path.read_text(encoding="utf-8"), str(path)
    elif isinstance(source, str):
        text, origin = source, "the config text"
    else:
        raise TypeError(
            "A sweep config is a dict, TOML text or the path of a .toml file. "
            f"Got {type(source).__name__} instead."
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SweepConfigError(f"Sweep config: {origin} is not valid TOML: {error}.") from None
