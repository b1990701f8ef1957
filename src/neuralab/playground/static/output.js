// The network's output over the plane, as a frame sends it (see neuralab/playground/views.py):
// the probability of class 1 (two classes), one probability per class (several classes), or
// the value relative to the colour scale (regression).

import {
  classColor, classRegions, decodeProbability, decodeSigned, diverging, paintCells, paintGrid,
  paintRegions,
} from "./colors.js";

export class OutputMap {
  /** @param {object} output  a frame's "output"; @param {number} grid  cells per side */
  constructor(output, grid) {
    this.kind = output.kind;
    this.grid = grid;
    if (this.kind === "classes") {
      this.probabilities = output.data.map(decodeProbability);
      this.regions = classRegions(this.probabilities);
    } else if (this.kind === "values") {
      this.values = decodeSigned(output.data);
    } else {
      this.values = decodeProbability(output.data).map((p) => 2 * p - 1);
    }
  }

  /** Paint the whole map (discretized: the decision, or value bands for regression). */
  paint(canvas, discretize) {
    if (this.kind === "classes") paintRegions(canvas, this.regions, this.grid, discretize);
    else paintGrid(canvas, this.values, this.grid, discretize, this.kind === "values");
  }

  /** Paint output unit k's map on a neuron canvas of size x size cells (a subsample). */
  paintUnit(canvas, k, size) {
    const step = Math.max(1, Math.round((this.grid - 1) / (size - 1)));
    const cell = (i) => Math.floor(i / size) * step * this.grid + (i % size) * step;
    if (this.kind === "classes") {
      paintCells(canvas, size, (i) => classColor(k, this.probabilities[k][cell(i)]));
    } else {
      paintCells(canvas, size, (i) => diverging(this.values[cell(i)]));
    }
  }
}
