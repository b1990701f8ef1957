// The output map: the network's output over the plane, with the data points on it. A click picks
// the nearest point (for its backprop trace), or adds a point where it lands (drawing mode).

import { classColor, css, diverging } from "./colors.js";

export class Heatmap {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {(split: string, index: number) => void} onPick  a point was clicked
   * @param {(x1: number, x2: number) => void} onAdd  the map was clicked in drawing mode
   */
  constructor(canvas, onPick, onAdd) {
    this.canvas = canvas;
    this.data = null;          // {train, test, extent, problem, classes, scale}
    this.output = null;        // an OutputMap
    this.showTest = false;
    this.discretize = false;
    this.drawing = false;      // clicks add points instead of picking them
    this.selected = null;      // {split, index}
    canvas.addEventListener("click", (event) => {
      const px = event.offsetX * canvas.width / canvas.clientWidth;
      const py = event.offsetY * canvas.height / canvas.clientHeight;
      if (!this.data) return;
      if (this.drawing) {
        const [x1, x2] = this.toData(px, py);
        onAdd(x1, x2);
        return;
      }
      const hit = this.pointAt(px, py);
      if (hit) onPick(hit.split, hit.index);
    });
  }

  setData(data) {
    this.data = data;
    this.output = null;
    this.selected = null;
    this.draw();
  }

  setOutput(output) {
    this.output = output;
    this.draw();
  }

  toPixel(x1, x2) {
    const [lo, hi] = this.data.extent;
    const w = this.canvas.width, h = this.canvas.height;
    return [(x1 - lo) / (hi - lo) * w, (hi - x2) / (hi - lo) * h];
  }

  toData(px, py) {
    const [lo, hi] = this.data.extent;
    return [lo + (px / this.canvas.width) * (hi - lo), hi - (py / this.canvas.height) * (hi - lo)];
  }

  *visiblePoints() {
    for (const split of this.showTest ? ["train", "test"] : ["train"]) {
      const rows = this.data[split];
      for (let index = 0; index < rows.length; index++) yield { split, index, row: rows[index] };
    }
  }

  pointAt(px, py) {
    let best = null, bestDistance = 8 * 8;
    for (const point of this.visiblePoints()) {
      const [x, y] = this.toPixel(point.row[0], point.row[1]);
      const d = (x - px) ** 2 + (y - py) ** 2;
      if (d < bestDistance) { best = point; bestDistance = d; }
    }
    return best;
  }

  pointColor(target) {
    return this.data.problem === "regression" ? css(diverging(target / this.data.scale)) : css(classColor(target));
  }

  draw() {
    const ctx = this.canvas.getContext("2d");
    const { width, height } = this.canvas;
    if (this.output) this.output.paint(this.canvas, this.discretize);
    else { ctx.fillStyle = "#f0f0ec"; ctx.fillRect(0, 0, width, height); }
    if (!this.data) return;
    this.drawAxes(ctx);
    for (const { split, index, row } of this.visiblePoints()) {
      const [x, y] = this.toPixel(row[0], row[1]);
      ctx.beginPath();
      ctx.arc(x, y, split === "test" ? 3.2 : 3.6, 0, 2 * Math.PI);
      ctx.fillStyle = this.pointColor(row[2]);
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
    const step = hi - lo > 5 ? 2 : hi - lo > 2.5 ? 1 : 0.5;
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
