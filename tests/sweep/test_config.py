"""Sweep configs: TOML/dict/path input, the checks and their messages, grid expansion, keys."""

from __future__ import annotations

import pytest

from neuralab.sweeps import SweepConfigError, parse_config

from .helpers import GRID, TOML, config


def test_the_grid_expands_to_every_configuration_times_every_seed():
    cells = parse_config(GRID).cells()
    assert [(c.grid["activation"], c.grid["lr"], c.seed) for c in cells] == [
        ("relu", 0.3, 0), ("relu", 0.3, 1), ("relu", 0.05, 0), ("relu", 0.05, 1),
        ("tanh", 0.3, 0), ("tanh", 0.3, 1), ("tanh", 0.05, 0), ("tanh", 0.05, 1),
    ]
    assert len({c.key for c in cells}) == 8
    assert cells[0].label() == "activation=relu, lr=0.3"
    options = cells[0].options
    assert options["hidden"] == (6,) and options["epochs"] == 4 and options["batch_norm"] is False


def test_dict_toml_text_and_file_give_the_same_cells(tmp_path):
    path = tmp_path / "sweep.toml"
    path.write_text(TOML)
    keys = [[c.key for c in parse_config(source).cells()] for source in (GRID, TOML, path,
                                                                         str(path))]
    assert keys[0] == keys[1] == keys[2] == keys[3]


def test_keys_change_with_anything_that_changes_the_result():
    base = {c.key for c in parse_config(GRID).cells()}
    more_epochs = config(model={**GRID["model"], "epochs": 5})
    other_data = config(data={**GRID["data"], "seed": 1})
    assert base.isdisjoint(c.key for c in parse_config(more_epochs).cells())
    assert base.isdisjoint(c.key for c in parse_config(other_data).cells())
    # a larger grid contains the cells of the smaller one
    wider = config(grid={**GRID["grid"], "lr": [0.3, 0.05, 0.01]})
    assert base < {c.key for c in parse_config(wider).cells()}


def test_an_absent_learning_rate_is_each_optimizers_default():
    spec = parse_config(config(model={"epochs": 2}, grid={"optimizer": ["sgd", "adam"]},
                               sweep={"seeds": 1}))
    assert [c.options["lr"] for c in spec.cells()] == [0.01, 0.001]


def test_value_shorthands_and_the_gd_variants():
    spec = parse_config(config(model={"clip": "none"}, grid={
        "hidden": [8, [8, 4], []], "batch_size": ["full", 1, 32], "dropout": [0, 0.5],
        "epochs": [1, 3],
    }))
    cells = spec.cells()
    assert len(cells) == spec.n_runs == 3 * 3 * 2 * 2 * 2
    assert {c.options["hidden"] for c in cells} == {(8,), (8, 4), ()}
    assert {c.options["batch_size"] for c in cells} == {"full", 1, 32}
    assert {c.options["clip"] for c in cells} == {None}


def test_seeds_as_a_list_and_names_are_normalised():
    spec = parse_config(config(grid={"activation": ["ReLU", "Leaky-ReLU"]},
                               sweep={"seeds": [7, 3]}))
    assert [(c.options["activation"], c.seed) for c in spec.cells()] == [
        ("relu", 7), ("relu", 3), ("leaky_relu", 7), ("leaky_relu", 3)]


def test_a_relative_csv_path_is_read_next_to_the_config_file(tmp_path):
    path = tmp_path / "sweep.toml"
    path.write_text('[data]\nname = "table.csv"\ntarget = "label"\n')
    assert parse_config(path).dataset_path == str(tmp_path.resolve() / "table.csv")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"modle": {}}, r"unknown key 'modle' in \[config\]\. Allowed keys: data, model, grid"),
        ({"grid": {"lrate": [0.1]}},
         r"unknown key 'lrate' in \[grid\]\. Allowed keys: activation, optimizer, lr"),
        ({"grid": {"noise": [0.1, 0.2]}}, r"'noise' is set in \[data\] and varied in \[grid\]"),
        ({"data": {"name": "digits"}, "grid": {"n_samples": [100]}},
         r"\[grid\] n_samples varies the data of a synthetic dataset.*'digits' is fixed"),
        ({"grid": {"validation": [0.1]}}, r"unknown key 'validation' in \[grid\].*can vary only "
                                          r"n_samples and noise"),
        ({"grid": {"batch_size": ["full", 1], "batch_norm": [False, True]}},
         r"batch_norm = true with batch_size = 1 cannot train in \[grid\]: remove one of"),
        ({"model": {"batch_size": 1, "batch_norm": True}},
         r"batch_norm = true with batch_size = 1 cannot train\. batch_norm needs at least 2"),
        ({"grid": {"activation": ["relu", "swish"]}},
         r"\[grid\] activation: Unknown activation 'swish'\. Choose one of: .*relu"),
        ({"grid": {"lr": [0.1, -1]}}, r"\[grid\] lr = -1 is not valid: expected a float > 0\.$"),
        ({"grid": {"lr": 0.1}}, r"\[grid\] lr = 0.1 is not valid: a grid entry is a non-empty "
                                r"list of values, e.g. lr = \[0\.1\]\."),
        ({"grid": {"lr": [0.1, 0.1]}}, r"\[grid\] lr lists a value twice"),
        ({"grid": {"batch_size": ["half"]}},
         r"batch_size = 'half' is not valid: expected \"full\" or an int >= 1"),
        ({"grid": {"hidden": [[16, 0]]}}, r"hidden = \[16, 0\].*a sequence of ints >= 1"),
        ({"grid": {"optimizer": ["lbfgs"]}},
         r"\[grid\] optimizer: Unknown optimizer 'lbfgs'\. Choose one of: adam, momentum, rmsprop, "
         r"sgd\.$"),
        ({"grid": {"dropout": [1.0]}}, r"dropout = 1.0 is not valid: expected a float in "
                                       r"\[0, 1\)"),
        ({"grid": {"clip": ["off"]}}, r"clip = 'off'.*\"none\""),
        ({"grid": {"batch_norm": ["yes"]}}, r"batch_norm = 'yes' is not valid: expected a bool"),
        ({"grid": {"epochs": [0]}}, r"\[grid\] epochs = 0 .*an int >= 1"),
        ({"model": {"hidden": [8]}, "grid": {"hidden": [[8]]}},
         r"'hidden' is set in \[model\] and varied in \[grid\]"),
        ({"model": {"epochs": "many"}}, r"\[model\] epochs = 'many'"),
        ({"model": {"seed": 3}}, r"unknown key 'seed' in \[model\].*belong in \[data\]"),
        ({"sweep": {"seeds": 0}}, r"\[sweep\] seeds = 0 is not valid"),
        ({"sweep": {"seeds": [1, 1]}}, r"\[sweep\] seeds = \[1, 1\].*distinct"),
        ({"sweep": {"workers": 2}}, r"unknown key 'workers' in \[sweep\]\. Allowed keys: seeds"),
        ({"data": {}}, r"\[data\] needs name = "),
        ({"data": {"name": "mnist2d"}},
         r"\[data\] name: Unknown dataset 'mnist2d'.*moons.*\.csv file\. Did you mean 'mnist1d'\?"),
        ({"data": {"name": "t.csv"}}, r"is a CSV file: add target = "),
        ({"data": {"name": "moons", "validation": 1.0}}, r"\[data\] validation = 1.0"),
    ],
)
def test_config_errors_name_the_key_the_value_and_what_is_allowed(changes, message):
    with pytest.raises(SweepConfigError, match=message):
        parse_config(config(**{"model": {}, **changes}))


def test_invalid_toml_and_missing_files_are_reported(tmp_path):
    with pytest.raises(SweepConfigError, match="is not valid TOML"):
        parse_config("[data]\nname = moons\n")
    with pytest.raises(FileNotFoundError, match="No sweep config file at"):
        parse_config(tmp_path / "missing.toml")
    with pytest.raises(TypeError, match="A sweep config is a dict, TOML text or the path"):
        parse_config(42)
