// The decision boundary: the network's probability of class 1 over the plane, with the points.

import { CLASS_COLORS, paintGrid } from "./colors.js";

export class Heatmap {
  constructor(canvas, onPick) {
    this.canvas = canvas;
    this.data = null;          // {train, test, extent}
    this.values = null;        // Float32Array of 2p - 1 on the grid
    this.grid = 50;
    this.showTest = false;
    this.discretize = false;
    this.selected = null;      // {split, index}
    canvas.addEventListener("click", (event) => {
      const hit = this.pointAt(event.offsetX * canvas.width / canvas.clientWidth,
                               event.offsetY * canvas.height / canvas.clientHeight);
      if (hit) onPick(hit.split, hit.index);
    });
  }

  setData(data, grid) {
    this.data = data;
    this.grid = grid;
    this.values = null;
    this.selected = null;
    this.draw();
  }

  setProbabilities(probabilities) {
    this.values = probabilities.map((p) => 2 * p - 1);
    this.draw();
  }

  toPixel(x1, x2) {
    const [lo, hi] = this.data.extent;
    const w = this.canvas.width, h = this.canvas.height;
    return [(x1 - lo) / (hi - lo) * w, (hi - x2) / (hi - lo) * h];
  }

  *visiblePoints() {
    for (const split of this.showTest ? ["train", "test"] : ["train"]) {
      const rows = this.data[split];
      for (let index = 0; index < rows.length; index++) yield { split, index, row: rows[index] };
    }
  }

  pointAt(px, py) {
    if (!this.data) return null;
    let best = null, bestDistance = 8 * 8;
    for (const point of this.visiblePoints()) {
      const [x, y] = this.toPixel(point.row[0], point.row[1]);
      const d = (x - px) ** 2 + (y - py) ** 2;
      if (d < bestDistance) { best = point; bestDistance = d; }
    }
    return best;
  }

  draw() {
    const ctx = this.canvas.getContext("2d");
    const { width, height } = this.canvas;
    if (this.values) paintGrid(this.canvas, this.values, this.grid, this.discretize);
    else { ctx.fillStyle = "#f0f0ec"; ctx.fillRect(0, 0, width, height); }
    if (!this.data) return;
    this.drawAxes(ctx);
    for (const { split, index, row } of this.visiblePoints()) {
      const [x, y] = this.toPixel(row[0], row[1]);
      ctx.beginPath();
      ctx.arc(x, y, split === "test" ? 3.2 : 3.6, 0, 2 * Math.PI);
      ctx.fillStyle = CLASS_COLORS[row[2]];
      ctx.fill();
      ctx.lineWidth = 1;
      ctx.strokeStyle = split === "test" ? "#111" : "#fff";
      ctx.stroke();
      if (this.selected && this.selected.split === split && this.selected.index === index) {
        ctx.beginPath();
        ctx.arc(x, y, 7, 0, 2 * Math.PI);
        ctx.lineWidth = 2;
        ctx.strokeStyle = "#222";
        ctx.stroke();
      }
    }
  }

  drawAxes(ctx) {
    const [lo, hi] = this.data.extent;
    ctx.strokeStyle = "rgba(0,0,0,0.18)";
    ctx.lineWidth = 1;
    ctx.font = "10px system-ui, sans-serif";
    ctx.fillStyle = "rgba(0,0,0,0.55)";
    const step = hi - lo > 2.5 ? 1 : 0.5;
    for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) {
      const [x] = this.toPixel(t, 0);
      const [, y] = this.toPixel(0, t);
      ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, 5); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(0, y); ctx.lineTo(5, y); ctx.stroke();
      if (Math.abs(t) > 1e-9) {
        ctx.fillText(String(+t.toFixed(1)), x + 2, 14);
        ctx.fillText(String(+t.toFixed(1)), 7, y + 3);
      }
    }
  }
}
