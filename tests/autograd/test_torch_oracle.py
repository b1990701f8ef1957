"""The engine against PyTorch (an oracle, when installed): same values and gradients."""

from __future__ import annotations

import numpy as np
import pytest

import neuralab as nl

torch = pytest.importorskip("torch")
F = nl.functional
TF = torch.nn.functional


def _pair(array):
    return (nl.tensor(array, dtype="float64", requires_grad=True),
            torch.tensor(array, dtype=torch.float64, requires_grad=True))


def test_mlp_forward_backward_matches_pytorch():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 5))
    labels = rng.integers(0, 3, 8)
    (w1, tw1), (b1, tb1) = _pair(rng.normal(size=(5, 7))), _pair(rng.normal(size=7))
    (w2, tw2), (b2, tb2) = _pair(rng.normal(size=(7, 3))), _pair(rng.normal(size=3))
    h = F.tanh(F.linear(nl.tensor(x, dtype="float64"), w1, b1))
    loss = F.cross_entropy(F.linear(h, w2, b2), labels)
    loss.backward()
    th = torch.tanh(torch.tensor(x) @ tw1 + tb1)
    tloss = TF.cross_entropy(th @ tw2 + tb2, torch.tensor(labels))
    tloss.backward()
    assert loss.item() == pytest.approx(tloss.item(), rel=1e-12)
    for ours, theirs in [(w1, tw1), (b1, tb1), (w2, tw2), (b2, tb2)]:
        np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (lambda z: F.sigmoid(z), torch.sigmoid),
        (lambda z: F.leaky_relu(z, 0.2), lambda z: TF.leaky_relu(z, 0.2)),
        (lambda z: F.softmax(z), lambda z: torch.softmax(z, -1)),
        (lambda z: F.log_softmax(z, 0), lambda z: torch.log_softmax(z, 0)),
        (lambda z: z.max(axis=1), lambda z: z.amax(dim=1)),
        (lambda z: F.binary_cross_entropy_with_logits(z, np.full((4, 3), 0.25)),
         lambda z: TF.binary_cross_entropy_with_logits(z, torch.full((4, 3), 0.25,
                                                                     dtype=torch.float64))),
    ],
    ids=["sigmoid", "leaky_relu", "softmax", "log_softmax", "max", "bce_logits"],
)
def test_ops_match_pytorch(ours, theirs):
    z = np.random.default_rng(1).normal(0, 3, (4, 3))
    a, ta = _pair(z)
    out, tout = ours(a), theirs(ta)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12, atol=1e-14)
    upstream = np.random.default_rng(2).normal(size=out.shape)
    out.backward(upstream)
    tout.backward(torch.tensor(upstream))
    np.testing.assert_allclose(a.grad, ta.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_bce_on_probabilities_matches_pytorch_including_the_clamp():
    p = np.array([[0.0], [0.3], [1.0]])
    y = np.array([[1.0], [0.0], [1.0]])
    ours = F.binary_cross_entropy(nl.tensor(p, dtype="float64"), y).item()
    theirs = TF.binary_cross_entropy(torch.tensor(p), torch.tensor(y)).item()
    assert ours == pytest.approx(theirs, rel=1e-12)
