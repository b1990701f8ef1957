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
  const head = el("tr", {}, el("th", { scope: "col" }, "layer"),
    el("th", { scope: "col" }, "gradient norm"), el("th", { scope: "col" }, "dead"),
    el("th", { scope: "col" }, "saturated"), el("th", { scope: "col" }, "flags"));
  const rows = [];
  const advice = [];
  for (const layer of diagnostics.layers) {
    const flags = (layer.flags || []).join(", ");
    rows.push(el("tr", { class: flags ? "flagged" : "" },
      el("th", { scope: "row" }, `${layer.index}: ${layer.name}`),
      el("td", {}, el("span", { class: "bar-wrap" }, normBar(layer.grad_norm)), " ", num(layer.grad_norm)),
      el("td", {}, percent(layer.dead_fraction)),
      el("td", {}, percent(layer.saturated_fraction)),
      el("td", {}, flags || "ok")));
    if (layer.advice) advice.push(el("li", {}, `${layer.name}: ${layer.advice}`));
  }
  const table = el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows));
  root.replaceChildren(table, advice.length ? el("ul", { class: "advice" }, ...advice) : "");
}

function valuesText(values) {
  if (Array.isArray(values)) return values.flat(3).map((v) => num(v)).join(", ");
  return num(values);
}

export function renderTrace(root, message) {
  const where = `${message.split} point ${message.index} at (${num(message.point[0], 2)}, ${num(message.point[1], 2)})`;
  if (!message.available) {
    root.replaceChildren(el("p", {}, el("b", {}, where)), el("p", { class: "note" }, message.message));
    return;
  }
  const trace = message.trace;
  const parts = [el("p", {}, el("b", {}, where))];
  const forward = trace.forward || trace.layers || [];
  if (forward.length) {
    parts.push(el("h3", {}, "Forward pass"));
    parts.push(el("ol", { class: "forward", start: 0 }, ...forward.map((layer) =>
      el("li", {}, el("code", {}, layer.name || layer.symbol || ""), " = ", valuesText(layer.values ?? layer.value)))));
  }
  const params = trace.parameters || trace.params || [];
  if (params.length) {
    parts.push(el("h3", {}, "Backward pass: chain rule, factor by factor"));
    const rows = params.map((p) => {
      const chain = (p.factors || []).map((f) => `${f.symbol} (${num(f.value)})`).join(" × ");
      const agree = p.autograd !== undefined && Math.abs(p.product - p.autograd) <= 1e-4 * (1 + Math.abs(p.autograd));
      return el("tr", {}, el("th", { scope: "row" }, el("code", {}, p.name)),
        el("td", {}, chain), el("td", {}, num(p.product)),
        el("td", { class: agree ? "agree" : "" }, num(p.autograd), agree ? " ✓" : ""));
    });
    parts.push(el("table", { class: "chain" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "parameter"),
        el("th", { scope: "col" }, "factors"), el("th", { scope: "col" }, "product"),
        el("th", { scope: "col" }, "autograd"))),
      el("tbody", {}, ...rows)));
  }
  root.replaceChildren(...parts);
}
