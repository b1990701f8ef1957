"""DataLoader: the three gradient-descent variants, epochs, reproducible shuffling, errors."""

import json
import math

import numpy as np
import pytest

import neuralab as nl
from neuralab.data import DataLoader

N = 10


@pytest.fixture
def data():
    X = np.arange(N * 3, dtype=np.float32).reshape(N, 3)
    y = np.arange(N, dtype=np.int64)
    return X, y


def epoch_labels(loader):
    return np.concatenate([y_batch for _, y_batch in loader])


@pytest.mark.parametrize(
    ("batch_size", "variant", "updates", "sizes"),
    [
        ("full", "batch", 1, [N]),
        (1, "stochastic", N, [1] * N),
        (4, "mini-batch", math.ceil(N / 4), [4, 4, 2]),
        (N, "batch", 1, [N]),
        (1000, "batch", 1, [N]),
    ],
)
def test_batches_per_epoch_match_the_variant(data, batch_size, variant, updates, sizes):
    loader = DataLoader(*data, batch_size=batch_size, seed=0)
    assert loader.variant == variant
    assert len(loader) == updates
    assert loader.batch_size == sizes[0]
    assert loader.n_samples == N
    assert [len(X_batch) for X_batch, _ in loader] == sizes


def test_drop_last_drops_the_short_batch(data):
    loader = DataLoader(*data, batch_size=4, drop_last=True, seed=0)
    assert len(loader) == N // 4
    assert [len(y_batch) for _, y_batch in loader] == [4, 4]


@pytest.mark.parametrize("batch_size", ["full", 1, 3])
def test_every_sample_appears_exactly_once_per_epoch(data, batch_size):
    X, y = data
    loader = DataLoader(X, y, batch_size=batch_size, seed=1)
    for _ in range(3):
        batches = list(loader)
        seen = np.concatenate([y_batch for _, y_batch in batches])
        assert sorted(seen.tolist()) == list(range(N))
        for X_batch, y_batch in batches:  # rows stay paired with their labels
            np.testing.assert_array_equal(X_batch, X[y_batch])


def test_reshuffles_each_epoch_and_the_seed_fixes_the_sequence(data):
    first = DataLoader(*data, batch_size=3, seed=7)
    second = DataLoader(*data, batch_size=3, seed=7)
    epochs_a = [epoch_labels(first) for _ in range(4)]
    epochs_b = [epoch_labels(second) for _ in range(4)]
    for a, b in zip(epochs_a, epochs_b, strict=True):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(epochs_a[0], other) for other in epochs_a[1:])
    other_seed = DataLoader(*data, batch_size=3, seed=8)
    assert not np.array_equal(epoch_labels(other_seed), epochs_a[0])


def test_without_shuffle_the_order_is_the_data_order(data):
    loader = DataLoader(*data, batch_size=4, shuffle=False)
    np.testing.assert_array_equal(epoch_labels(loader), np.arange(N))


def test_without_seed_the_default_generator_makes_it_reproducible(data):
    nl.manual_seed(3)
    a = epoch_labels(DataLoader(*data, batch_size=2))
    nl.manual_seed(3)
    b = epoch_labels(DataLoader(*data, batch_size=2))
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "rng",
    [None, np.random.Generator(np.random.MT19937(0)), np.random.Generator(np.random.Philox(0))],
)
def test_get_state_set_state_resume_the_same_epochs(data, rng):
    loader = DataLoader(*data, batch_size=3, seed=None if rng else 5, rng=rng)
    epoch_labels(loader)
    state = json.loads(json.dumps(loader.get_state()))  # what a checkpoint stores
    expected = [epoch_labels(loader) for _ in range(3)]
    loader.set_state(state)
    resumed = [epoch_labels(loader) for _ in range(3)]
    for a, b in zip(expected, resumed, strict=True):
        np.testing.assert_array_equal(a, b)


def test_set_state_into_a_fresh_loader_resumes_too(data):
    loader = DataLoader(*data, batch_size=3, seed=5)
    epoch_labels(loader)
    state = loader.get_state()
    expected = epoch_labels(loader)
    fresh = DataLoader(*data, batch_size=3, seed=123)
    fresh.set_state(state)
    np.testing.assert_array_equal(epoch_labels(fresh), expected)


def test_set_state_rejects_foreign_dicts(data):
    loader = DataLoader(*data, seed=0)
    with pytest.raises(ValueError, match="get_state"):
        loader.set_state({"epoch": 3})
    philox = DataLoader(*data, rng=np.random.Generator(np.random.Philox(0)))
    with pytest.raises(ValueError, match="'PCG64' bit generator"):
        philox.set_state(loader.get_state())


def test_full_batch_is_the_whole_dataset_without_a_copy(data):
    X, y = data
    (X_batch, y_batch), *rest = list(DataLoader(X, y, batch_size="full", shuffle=True, seed=0))
    assert rest == []
    assert np.shares_memory(X_batch, X)
    np.testing.assert_array_equal(y_batch, y)


def test_x_only_yields_arrays(data):
    X, _ = data
    batches = list(DataLoader(X, batch_size=4, shuffle=False))
    assert all(isinstance(batch, np.ndarray) for batch in batches)
    np.testing.assert_array_equal(np.concatenate(batches), X)


def test_accepts_lists_and_tensors_and_keeps_dtypes(data):
    X, y = data
    from_lists = DataLoader(X.tolist(), y.tolist(), batch_size="full", shuffle=False)
    X_batch, y_batch = next(iter(from_lists))
    np.testing.assert_array_equal(X_batch, X)
    from_tensors = DataLoader(nl.tensor(X), nl.tensor(y), batch_size=2, seed=0)
    X_batch, y_batch = next(iter(from_tensors))
    assert X_batch.dtype == np.float32 and y_batch.dtype == np.int64
    as_float64 = DataLoader(X.astype(np.float64), batch_size=2, seed=0)
    assert next(iter(as_float64)).dtype == np.float64


def test_two_dimensional_targets_are_batched_by_row():
    X, y = nl.data.half_adder()
    _, y_batch = next(iter(DataLoader(X, y, batch_size=2, shuffle=False)))
    np.testing.assert_array_equal(y_batch, y[:2])


@pytest.mark.parametrize(
    ("batch_size", "message"),
    [
        (0, "positive integer"),
        (-3, "positive integer"),
        (2.0, r"positive integer.*2\.0 \(float\)"),
        (True, "positive integer"),
        ("all", 'Allowed: "full".*1 \\(stochastic\\).*mini-batch'),
    ],
)
def test_bad_batch_sizes_are_rejected(data, batch_size, message):
    with pytest.raises(ValueError, match=message):
        DataLoader(*data, batch_size=batch_size)


def test_bad_data_is_rejected(data):
    X, y = data
    with pytest.raises(ValueError, match="X is empty"):
        DataLoader(np.empty((0, 3)), batch_size=2)
    with pytest.raises(ValueError, match="10 rows in X and 9 in y"):
        DataLoader(X, y[:-1])
    with pytest.raises(ValueError, match="scalar"):
        DataLoader(3.0)


def test_repr_names_the_variant(data):
    assert "variant='stochastic'" in repr(DataLoader(*data, batch_size=1, seed=0))


def test_shuffled_batches_gather_the_same_rows_from_dense_arrays_and_sparse_matrices():
    """Shuffled batches are copies of the permuted rows (take on arrays of any rank,
    indexing on a CSR matrix), paired with their targets; unshuffled ones are views."""
    from scipy import sparse

    X = np.arange(N * 6, dtype=np.float32).reshape(N, 2, 3)
    y = np.arange(N, dtype=np.int64)
    for X_batch, y_batch in DataLoader(X, y, batch_size=4, seed=3):
        np.testing.assert_array_equal(X_batch, X[y_batch])
        assert X_batch.flags.c_contiguous and not np.shares_memory(X_batch, X)
    rows = sparse.csr_matrix(X.reshape(N, 6))
    for X_batch, y_batch in DataLoader(rows, y, batch_size=4, seed=3):
        assert sparse.issparse(X_batch)
        np.testing.assert_array_equal(X_batch.toarray(), X.reshape(N, 6)[y_batch])
    X_batch, _ = next(iter(DataLoader(X, y, batch_size=4, shuffle=False)))
    assert np.shares_memory(X_batch, X)
