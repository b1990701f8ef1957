"""Engine overhead: one training step (forward + backward + SGD update), neuralab vs PyTorch eager.

Two networks:

* tiny  -- 2-4-1 sigmoid MLP on the 4 XOR points, BCE on logits: per-step Python overhead;
* large -- 784-256-128-10 ReLU MLP on a 128-sample batch, softmax cross-entropy: BLAS-bound.

Both libraries run in the same process, in interleaved rounds (so machine noise hits both alike),
with the same number of BLAS threads. Printed: the median step time of each (min-max over rounds)
and the ratio PyTorch time / neuralab time (> 1 means neuralab is faster).

Run with the BLAS environment variables unset, e.g.::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python bench/engine_overhead.py
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time

import numpy as np

import neuralab as nl

F = nl.functional


def neuralab_step(sizes, activation, loss_fn, x, y, lr, seed=0):
    """A closure running one training step written with neuralab's engine API."""
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in itertools.pairwise(sizes):
        limit = np.sqrt(6 / (n_in + n_out))
        params.append(nl.tensor(rng.uniform(-limit, limit, (n_in, n_out)), requires_grad=True))
        params.append(nl.zeros(n_out, requires_grad=True))
    x, act = nl.tensor(x), getattr(F, activation)

    def step():
        h = x
        for i in range(0, len(params) - 2, 2):
            h = act(F.linear(h, params[i], params[i + 1]))
        loss = loss_fn(F.linear(h, params[-2], params[-1]), y)
        for p in params:
            p.grad = None
        loss.backward()
        for p in params:
            p.data -= lr * p.grad

    return step


def torch_step(torch, sizes, activation, loss_fn, x, y, lr, seed=0):
    """The same step in PyTorch eager."""
    torch.manual_seed(seed)
    layers = []
    for n_in, n_out in itertools.pairwise(sizes):
        layers += [torch.nn.Linear(n_in, n_out), getattr(torch.nn, activation)()]
    model = torch.nn.Sequential(*layers[:-1])
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    x, y = torch.tensor(x), torch.tensor(y)

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    return step


def time_rounds(steps: dict, rounds: int, per_round: int) -> dict:
    """Seconds per step for each named step, one sample per round, rounds interleaved."""
    for step in steps.values():  # warm-up
        for _ in range(max(3, per_round // 10)):
            step()
    samples = {name: [] for name in steps}
    for _ in range(rounds):
        for name, step in steps.items():
            start = time.perf_counter()
            for _ in range(per_round):
                step()
            samples[name].append((time.perf_counter() - start) / per_round)
    return samples


def blas_info() -> str:
    from threadpoolctl import threadpool_info

    infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return ", ".join(
        f"{i['internal_api']} {i.get('version')} ({i.get('architecture')}, "
        f"{i['num_threads']} threads)" for i in infos
    ) or "unknown"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    from threadpoolctl import threadpool_limits

    threadpool_limits(args.threads)
    try:
        import torch
    except ImportError:
        torch = None
    else:
        torch.set_num_threads(args.threads)

    rng = np.random.default_rng(0)
    x_xor = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y_xor = np.array([[0], [1], [1], [0]], dtype=np.float32)
    x_big = rng.normal(size=(128, 784)).astype(np.float32)
    y_big = rng.integers(0, 10, 128)
    cases = {
        "tiny 2-4-1 sigmoid, XOR": (
            [2, 4, 1], "sigmoid", "Sigmoid", F.binary_cross_entropy_with_logits,
            "binary_cross_entropy_with_logits", x_xor, y_xor, 1000),
        "large 784-256-128-10 relu, batch 128": (
            [784, 256, 128, 10], "relu", "ReLU", F.cross_entropy, "cross_entropy",
            x_big, y_big, 20),
    }
    print(f"BLAS: {blas_info()}; torch: {torch.__version__ if torch else 'not installed'}")
    print(f"{'case':40} {'neuralab':>22} {'pytorch':>22} {'ratio':>7}")
    for name, (sizes, act, torch_act, loss, torch_loss, x, y, per_round) in cases.items():
        steps = {"neuralab": neuralab_step(sizes, act, loss, x, y, lr=0.1)}
        if torch:
            tloss = getattr(torch.nn.functional, torch_loss)
            steps["pytorch"] = torch_step(torch, sizes, torch_act, tloss, x, y, lr=0.1)
        samples = time_rounds(steps, args.rounds, per_round)
        cells = {
            k: f"{statistics.median(v) * 1e6:8.1f} µs ({min(v) * 1e6:.0f}-{max(v) * 1e6:.0f})"
            for k, v in samples.items()
        }
        ratio = (statistics.median(samples["pytorch"]) / statistics.median(samples["neuralab"])
                 if torch else float("nan"))
        print(f"{name:40} {cells['neuralab']:>22} {cells.get('pytorch', '-'):>22} {ratio:6.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
