"""The differentiable primitives, grouped by family; each op's forward and backward sit together."""
