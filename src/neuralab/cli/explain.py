"""``neuralab explain``: the backpropagation chain of each parameter, factor by factor.

By default it traces the course's 2-2-1 sigmoid network (the XOR weights of the
backprop-221 lesson) on the example x = (1, 0) with target y = 1, and prints for every weight
and bias the chain dL/dw11 = dz1/dw11 · da1/dz1 · dz/da1 · dŷ/dz · dL/dŷ with each factor's
formula and number, their product and autograd's gradient.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _numbers(text: str) -> list[float]:
    try:
        return [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected numbers separated by commas, e.g. 1,0; got {text!r}"
        ) from None


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "explain", help="print the chain rule for each parameter of the course's 2-2-1 network",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--input", type=_numbers, default=[1.0, 0.0], metavar="X1,X2",
                        help="the example's two inputs (default: 1,0)")
    parser.add_argument("--target", type=float, default=1.0, help="its target y (default: 1)")
    parser.add_argument("--param", metavar="NAME",
                        help="only this parameter: a symbol (w11, w1, b1, b) or a name such as "
                             "0.weight[0,0]")
    parser.add_argument("--json", action="store_true", help="print the trace as JSON")
    parser.add_argument("--graph", type=Path, metavar="FILE.dot",
                        help="also write the loss's computational graph as Graphviz DOT")


def _write_graph(net, x, y, path: Path) -> None:
    """The graph of the same example's loss, with every node's gradient, as DOT text."""
    import numpy as np

    from ..nn import BCELoss
    from ..viz import graph, retain_grads

    for name, param in net.named_parameters():
        param.name = name
    loss = BCELoss()(net(np.array([x])), np.array([[y]]))
    retain_grads(loss)
    loss.backward()
    graph(loss).save(path)


def run(args) -> int:
    from ..explain import trace
    from ..lessons.backprop_221 import network

    if len(args.input) != 2:
        raise ValueError(f"--input needs the 2 inputs of the 2-2-1 network; got {args.input}.")
    if args.target not in (0.0, 1.0):
        raise ValueError(f"--target must be 0 or 1 (binary cross-entropy); got {args.target:g}.")
    result = trace(network(), args.input, args.target, param=args.param)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print("The course's 2-2-1 network: z1 = x1 w11 + x2 w21 + b1, a1 = σ(z1), (same for "
              "z2, a2), z = a1 w1 + a2 w2 + b, ŷ = σ(z)\n")
        print(result)
    if args.graph is not None:
        _write_graph(network(), args.input, args.target, args.graph)
    return 0
