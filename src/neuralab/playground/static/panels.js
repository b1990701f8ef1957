// The course's panels: gradient flow and unit health (nl.diagnostics) and the backprop trace of
// one point (nl.explain). Both are rendered from the modules' to_dict() output.

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "style") node.style.cssText = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function num(v, digits = 4) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  if (typeof v !== "number") return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : v.toFixed(digits);
}

function percent(v) {
  return v === null || v === undefined ? "–" : `${Math.round(100 * v)}%`;
}

/** A bar for a gradient norm on a log scale from 1e-6 to 1e2. */
function normBar(norm) {
  const t = norm > 0 ? Math.max(0, Math.min(1, (Math.log10(norm) + 6) / 8)) : 0;
  return el("span", { class: "bar", style: `width:${(4 + 96 * t).toFixed(0)}%` });
}

export function renderDiagnostics(root, diagnostics) {
  if (!diagnostics) return;
  if (!diagnostics.available) {
    root.replaceChildren(el("p", { class: "note" }, diagnostics.message));
    return;
  }
  const head = el("tr", {}, ...["layer", "gradient norm ‖∂L/∂W‖", "weight norm", "dead",
    "saturated", "flags"].map((name) => el("th", { scope: "col" }, name)));
  const rows = [];
  const advice = [];
  for (const layer of diagnostics.layers) {
    const flags = (layer.flags || []).join(", ");
    const dead = layer.dead_fraction ?? layer.inactive_fraction;
    rows.push(el("tr", { class: flags ? "flagged" : "" },
      el("th", { scope: "row" }, `${layer.index} · ${layer.activation}`),
      el("td", {}, el("span", { class: "bar-wrap" }, normBar(layer.grad_norm)), " ", num(layer.grad_norm)),
      el("td", {}, num(layer.weight_norm, 3)),
      el("td", {}, percent(dead)),
      el("td", {}, percent(layer.saturated_fraction)),
      el("td", {}, flags || "ok")));
    for (const line of layer.advice || []) advice.push(el("li", {}, line));
  }
  const verdict = el("p", { class: "note" }, diagnostics.healthy
    ? `Healthy: no layer flagged (${diagnostics.loss.name} loss ${num(diagnostics.loss.value, 4)} on the training points).`
    : "Flagged layers are highlighted; what to try:");
  const table = el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows));
  root.replaceChildren(table, verdict, advice.length ? el("ul", { class: "advice" }, ...advice) : "");
}

function agrees(p) {
  return p.error <= 1e-5 * (1 + Math.abs(p.autograd));
}

export function renderTrace(root, message) {
  const where = `${message.split} point ${message.index} at (${num(message.point[0], 2)}, ${num(message.point[1], 2)})`;
  if (!message.available) {
    root.replaceChildren(el("p", {}, el("b", {}, where)), el("p", { class: "note" }, message.message));
    return;
  }
  const trace = message.trace;
  const parts = [el("p", {}, el("b", {}, where), `, target y = ${trace.target.map((v) => num(v, 0)).join(", ")}`)];
  parts.push(el("h3", {}, "Forward pass"));
  parts.push(el("ul", { class: "forward" }, ...trace.forward.map((step) =>
    el("li", {}, el("span", { class: "kind" }, step.kind), " ",
      step.symbols.map((symbol, i) => `${symbol} = ${num(step.values[i])}`).join(",  ")))));
  parts.push(el("p", {}, `loss (${trace.loss.name}) L = ${num(trace.loss.value)}`));
  parts.push(el("h3", {}, "Backward pass: each gradient as a chain of local derivatives"));
  const rows = trace.parameters.map((p) => el("tr", {},
    el("th", { scope: "row", title: p.name }, el("code", {}, `∂L/∂${p.symbol}`)),
    el("td", {}, p.factors.map((f) => `${f.symbol} = ${f.formula} = ${num(f.value)}`).join("  ·  ")),
    el("td", {}, num(p.product)),
    el("td", { class: agrees(p) ? "agree" : "" }, num(p.autograd), agrees(p) ? " ✓" : "")));
  parts.push(el("table", { class: "chain" },
    el("thead", {}, el("tr", {}, ...["gradient", "factors", "product", "autograd"].map((name) =>
      el("th", { scope: "col" }, name)))),
    el("tbody", {}, ...rows)));
  parts.push(el("p", { class: "note" }, `Largest |product − autograd| = ${num(trace.max_error)}.`));
  root.replaceChildren(...parts);
}
