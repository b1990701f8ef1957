// The network diagram: one column per layer, each neuron drawn as its own output map, edges
// coloured by the weight's sign (blue +, orange -) and as thick as its size. Hovering an edge
// (or focusing a neuron) shows its weights and the gradients of the last update; the numbers
// follow the training while the pointer stays.

import { css, decodeSigned, diverging, paintGrid } from "./colors.js";

const SVG = "http://www.w3.org/2000/svg";
const NODE = 36;        // neuron size in pixels (as in style.css)
const GAP = 10;         // vertical gap between neurons
const TOP = 38;         // room for the layer headings and +/- buttons

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fmt(v) {
  if (v === null || v === undefined) return "–";
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : v.toFixed(4);
}

export class NetworkView {
  /**
   * @param {HTMLElement} root  the container
   * @param {HTMLElement} tip   the tooltip element
   * @param {(hidden: number[]) => void} onResize  called with new hidden sizes
   */
  constructor(root, tip, onResize) {
    this.root = root;
    this.tip = tip;
    this.onResize = onResize;
    this.sizes = [];
    this.nodes = [];   // per layer: canvases
    this.edges = [];   // per Linear layer: [i][j] -> path
    this.weights = null;
    this.hovered = null;  // what the tooltip shows: [kind, ...arguments of its text method]
    this.limits = { max_neurons: 8 };
  }

  /**
   * @param {object} network  the "ready" message's network (sizes, features, ...)
   * @param {string[]} outputNames  a name per output unit
   */
  build(network, featureMaps, neuronGrid, limits, outputNames) {
    this.sizes = network.sizes;
    this.hovered = null;
    this.tip.hidden = true;
    this.limits = limits;
    this.neuronGrid = neuronGrid;
    this.weights = null;
    this.root.replaceChildren();
    const width = (this.root.clientWidth || 400) - (outputNames.length > 1 ? 56 : 0);
    const tallest = Math.max(...this.sizes);
    const height = TOP + tallest * (NODE + GAP) + 6;
    this.root.style.height = `${height}px`;
    const columns = this.sizes.length;
    const xOf = (l) => 18 + (l * (width - 36 - NODE)) / Math.max(1, columns - 1);
    const yOf = (l, i) => TOP + i * (NODE + GAP) + ((tallest - this.sizes[l]) * (NODE + GAP)) / 2;
    this.position = (l, i) => [xOf(l), yOf(l, i)];

    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.classList.add("edges");
    this.root.append(svg);
    this.edges = [];
    for (let l = 0; l + 1 < columns; l++) {
      const layer = [];
      for (let i = 0; i < this.sizes[l]; i++) {
        const row = [];
        for (let j = 0; j < this.sizes[l + 1]; j++) {
          const [x0, y0] = this.position(l, i);
          const [x1, y1] = this.position(l + 1, j);
          const path = document.createElementNS(SVG, "path");
          const a = [x0 + NODE, y0 + NODE / 2], b = [x1, y1 + NODE / 2];
          const mid = (a[0] + b[0]) / 2;
          path.setAttribute("d", `M${a[0]},${a[1]} C${mid},${a[1]} ${mid},${b[1]} ${b[0]},${b[1]}`);
          path.classList.add("edge");
          path.addEventListener("mouseenter", (e) => this.show(e, "edge", l, i, j));
          path.addEventListener("mousemove", (e) => this.moveTip(e));
          path.addEventListener("mouseleave", () => this.hide());
          svg.append(path);
          row.push(path);
        }
        layer.push(row);
      }
      this.edges.push(layer);
    }

    this.nodes = [];
    for (let l = 0; l < columns; l++) {
      const canvases = [];
      for (let i = 0; i < this.sizes[l]; i++) {
        const [x, y] = this.position(l, i);
        const canvas = document.createElement("canvas");
        canvas.width = neuronGrid;
        canvas.height = neuronGrid;
        canvas.className = "neuron" + (l === 0 ? " input" : "");
        canvas.style.left = `${x}px`;
        canvas.style.top = `${y}px`;
        canvas.tabIndex = 0;
        const name = l === 0 ? network.features[i]
          : l === columns - 1 ? outputNames[i] : `layer ${l}, neuron ${i + 1}`;
        canvas.setAttribute("role", "img");
        canvas.setAttribute("aria-label", name);
        canvas.addEventListener("focus", (e) => this.show(e, "node", l, i, name));
        canvas.addEventListener("mouseenter", (e) => this.show(e, "node", l, i, name));
        canvas.addEventListener("blur", () => this.hide());
        canvas.addEventListener("mouseleave", () => this.hide());
        this.root.append(canvas);
        canvases.push(canvas);
        if (l === 0) {
          this.addLabel(network.features[i], "feature-label", 0, y);
          paintGrid(canvas, decodeSigned(featureMaps[i].data), neuronGrid);
        } else if (l === columns - 1 && outputNames.length > 1) {
          this.addLabel(outputNames[i], "output-label", x + NODE + 6, y);
        }
      }
      this.nodes.push(canvases);
      this.addHeading(l, columns, xOf(l));
    }
  }

  addLabel(text, className, x, y) {
    const label = document.createElement("span");
    label.className = className;
    label.textContent = text;
    label.style.left = `${x}px`;
    label.style.top = `${y + NODE / 2 - 7}px`;
    this.root.append(label);
  }

  addHeading(l, columns, x) {
    const head = document.createElement("div");
    head.className = "layer-head";
    head.style.left = `${x - 14}px`;
    if (l === 0) head.textContent = "inputs";
    else if (l === columns - 1) head.textContent = "output";
    else {
      const hidden = this.sizes.slice(1, -1);
      const change = (delta) => {
        const next = hidden.slice();
        next[l - 1] = Math.max(1, Math.min(this.limits.max_neurons, next[l - 1] + delta));
        if (next[l - 1] !== hidden[l - 1]) this.onResize(next);
      };
      const plus = document.createElement("button");
      plus.type = "button";
      plus.className = "tiny";
      plus.textContent = "+";
      plus.setAttribute("aria-label", `Add a neuron to hidden layer ${l}`);
      plus.addEventListener("click", () => change(+1));
      const minus = plus.cloneNode();
      minus.textContent = "−";
      minus.setAttribute("aria-label", `Remove a neuron from hidden layer ${l}`);
      minus.addEventListener("click", () => change(-1));
      const count = document.createElement("span");
      count.textContent = `${this.sizes[l]}`;
      count.title = `${this.sizes[l]} neurons`;
      head.append(plus, count, minus);
    }
    this.root.append(head);
  }

  /** Paint each hidden neuron's map and the output units' maps; restyle the edges by weight. */
  update(frame, output) {
    frame.neurons.forEach((layer, l) => layer.forEach((map, i) => {
      const canvas = this.nodes[l + 1] && this.nodes[l + 1][i];
      if (canvas) {
        paintGrid(canvas, decodeSigned(map.data), this.neuronGrid);
        canvas.dataset.scale = map.scale;
      }
    }));
    this.nodes[this.nodes.length - 1].forEach((canvas, k) => output.paintUnit(canvas, k, this.neuronGrid));
    this.weights = frame.weights;
    frame.weights.forEach((layer, l) => layer.weight.forEach((row, i) => row.forEach((w, j) => {
      const path = this.edges[l] && this.edges[l][i] && this.edges[l][i][j];
      if (!path) return;
      path.style.stroke = css(diverging(Math.sign(w) * Math.min(1, 0.35 + Math.abs(w))));
      path.style.strokeWidth = Math.min(7, 0.4 + 2.2 * Math.abs(w)).toFixed(2);
    })));
    if (this.hovered) this.tip.innerHTML = this.text(...this.hovered);
  }

  /** Show the tooltip of an edge (l, i, j) or a node (l, i, name), and keep it current. */
  show(event, ...what) {
    this.hovered = what;
    this.tip.innerHTML = this.text(...what);
    this.tip.hidden = false;
    this.moveTip(event);
  }

  hide() {
    this.hovered = null;
    this.tip.hidden = true;
  }

  text(kind, ...args) {
    return kind === "edge" ? this.edgeText(...args) : this.nodeText(...args);
  }

  edgeText(l, i, j) {
    const from = l === 0 ? `input ${i + 1}` : `layer ${l} neuron ${i + 1}`;
    const to = l + 1 === this.sizes.length - 1 ? `output ${this.sizes[l + 1] > 1 ? j + 1 : ""}`.trim() : `layer ${l + 1} neuron ${j + 1}`;
    if (!this.weights) return `<b>${from} → ${to}</b>`;
    const layer = this.weights[l];
    const grad = layer.weight_grad ? layer.weight_grad[i][j] : null;
    return `<b>${from} → ${to}</b><br>weight w = <span class="live">${fmt(layer.weight[i][j])}</span>` +
      `<br>gradient ∂J/∂w = ${fmt(grad)}` + (grad === null ? " (no gradient yet)" : "");
  }

  nodeText(l, i, name) {
    let text = `<b>${escapeHtml(name)}</b>`;
    if (l > 0 && this.weights) {
      const layer = this.weights[l - 1];
      text += `<br>bias b = <span class="live">${fmt(layer.bias[i])}</span>`;
      if (layer.bias_grad) text += `, ∂J/∂b = ${fmt(layer.bias_grad[i])}`;
      const incoming = layer.weight.map((row) => fmt(row[i])).join(", ");
      text += `<br>incoming weights: ${incoming}`;
    }
    const scale = this.nodes[l][i].dataset.scale;
    if (scale) text += `<br>largest |output| on the map: ${fmt(+scale)}`;
    return text;
  }

  moveTip(event) {
    const box = (this.tip.offsetParent || this.root).getBoundingClientRect();
    const target = event.target.getBoundingClientRect();
    const x = event.clientX ?? target.right;
    const y = event.clientY ?? target.top;
    this.tip.style.left = `${x - box.left + 14}px`;
    this.tip.style.top = `${y - box.top + 14}px`;
  }
}
