"""The lessons' figures show what their tables say (issue 15's misleading figures)."""

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet

from neuralab import lessons


@pytest.fixture(scope="module")
def result():
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = lessons.get(name).run()
        return cache[name]

    return get


def _ringed_layers(ax) -> set:
    """The layer indices that gradient_flow drew a red ring around."""
    rings = [c for c in ax.collections if isinstance(c, PathCollection)
             and np.allclose(c.get_edgecolor()[0][:3], (1, 0, 0))]
    return {round(float(x)) for ring in rings for x, _ in ring.get_offsets()}


def test_vanishing_gradients_figure_rings_exactly_the_layers_its_table_flags(result):
    r = result("vanishing-gradients")
    ax = lessons.vanishing_gradients.plot(r).axes[0]
    table = lessons.vanishing_gradients.tables(r)[0]
    flagged = {row[0] for row in table.rows if row[2] != "ok"}  # the sigmoid column's flags
    flagged |= {row[0] for row in table.rows if row[4] != "ok"}  # and ReLU's
    assert flagged == _ringed_layers(ax)
    relu_layers = r["networks"]["relu"]["report"]["layers"]
    assert any(layer["flags"] for layer in relu_layers)  # dead units are flagged...
    assert all(row[4] == "ok" for row in table.rows)  # ...but not as a gradient problem


def test_linear_collapse_middle_panel_shows_the_constant_half_not_a_noisy_contour(result):
    r = result("linear-collapse")
    p = r["xor"]["identity"]["p"]
    assert max(p) - min(p) < 1e-3 and p[0] == pytest.approx(0.5, abs=1e-3)
    middle = lessons.linear_collapse.plot(r).axes[1]
    assert not [c for c in middle.collections if isinstance(c, ContourSet)]
    assert [round(bar.get_height(), 2) for bar in middle.patches] == [0.5] * 4


def test_dying_relu_at_a_high_learning_rate_shows_the_harm(result):
    calm, hot, leaky = result("dying-relu")["runs"]
    assert hot["lr"] == leaky["lr"] > calm["lr"]
    assert hot["dead_layer"] >= 1  # some networks lost a whole layer...
    assert min(a for a in hot["accuracy"] if a is not None) < 0.6  # ...and stay near chance
    assert hot["mean_accuracy"] < calm["mean_accuracy"] - 0.05
    assert hot["mean_accuracy"] < leaky["mean_accuracy"] - 0.05
    assert leaky["mean_dead"] == [0.0, 0.0] and leaky["diverged"] == 0


def test_gd_variants_times_epochs_after_a_warm_up_so_batch_is_cheapest_per_epoch(result):
    runs = result("gd-variants")["runs"]
    batch, stochastic, mini = (runs[k]["epoch_ms"] for k in runs)
    assert batch < stochastic and mini < stochastic
    text = lessons.text("gd-variants", result("gd-variants"))
    assert "ms per epoch" in text and "warm-up" in text


def test_gate_tables_format_sigma_of_10_and_minus_10_alike(result):
    text = lessons.text("gates", result("gates"))
    not_rows = text.split("NOT: ")[1].split("\n\n")[0]
    assert "1 - 4.54e-05" in not_rows and "4.54e-05" in not_rows.replace("1 - 4.54e-05", "")
    assert "σ(50)   1 - 1.93e-22" in text  # σ(50) rounds to 1.0; its distance is still shown


@pytest.mark.parametrize(("p", "q", "cell"), [(0.5, 0.5, "0.5000"), (4.54e-05, 1 - 4.54e-05,
                                              "4.54e-05"), (1 - 4.54e-05, 4.54e-05,
                                                            "1 - 4.54e-05"), (0.9, 0.1, "0.9000")])
def test_near_bit_writes_both_ends_alike(p, q, cell):
    from neuralab.lessons._base import near_bit

    assert near_bit(p, q) == cell
