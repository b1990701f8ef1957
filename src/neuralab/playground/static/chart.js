// Training and test loss per epoch, drawn on a small canvas.

const MAX_POINTS = 1500;

export class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.clear();
  }

  clear() {
    this.points = [];   // [epoch, train, test]
    this.draw();
  }

  add(epoch, train, test) {
    if (train === null || test === null) return;
    const last = this.points[this.points.length - 1];
    if (last && last[0] === epoch) this.points[this.points.length - 1] = [epoch, train, test];
    else this.points.push([epoch, train, test]);
    if (this.points.length > MAX_POINTS) {  // keep the whole history, at half the resolution
      this.points = this.points.filter((_, i) => i % 2 === 0 || i === this.points.length - 1);
    }
    this.draw();
  }

  draw() {
    const ctx = this.canvas.getContext("2d");
    const { width, height } = this.canvas;
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = "#fafaf7";
    ctx.fillRect(0, 0, width, height);
    if (this.points.length < 2) return;
    const maxEpoch = this.points[this.points.length - 1][0] || 1;
    let top = 0;
    for (const [, a, b] of this.points) top = Math.max(top, a, b);
    top = top || 1;
    const x = (e) => 4 + (e / maxEpoch) * (width - 8);
    const y = (v) => height - 4 - (Math.min(v, top) / top) * (height - 16);
    for (const [column, color, dash] of [[2, "#222", []], [1, "#8a8a8a", [4, 3]]]) {
      ctx.beginPath();
      ctx.setLineDash(dash);
      this.points.forEach((p, i) => (i ? ctx.lineTo(x(p[0]), y(p[column])) : ctx.moveTo(x(p[0]), y(p[column]))));
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.fillStyle = "#555";
    ctx.font = "10px system-ui, sans-serif";
    ctx.fillText(`max ${top.toPrecision(3)}`, 6, 10);
    ctx.fillText("— test  ‑‑ training", width - 100, 10);
  }
}
