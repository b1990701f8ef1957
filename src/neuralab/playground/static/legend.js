// The legend under the output map: the classes and their colours, or the colour scale of a
// regression's values.

import { classColor, css, diverging } from "./colors.js";

function swatch(color) {
  const node = document.createElement("span");
  node.className = "swatch";
  node.style.background = css(color);
  return node;
}

function colourBar(scale) {
  const canvas = document.createElement("canvas");
  canvas.width = 120;
  canvas.height = 10;
  canvas.className = "colour-bar";
  const ctx = canvas.getContext("2d");
  for (let x = 0; x < canvas.width; x++) {
    ctx.fillStyle = css(diverging((2 * x) / (canvas.width - 1) - 1));
    ctx.fillRect(x, 0, 1, canvas.height);
  }
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `colour scale from −${scale} to ${scale}`);
  return canvas;
}

export function renderLegend(root, data) {
  if (data.problem === "regression") {
    const scale = +data.scale.toPrecision(3);
    root.replaceChildren(`value −${scale}`, colourBar(scale), `+${scale}`);
    return;
  }
  const items = data.classes.map((name, k) => {
    const item = document.createElement("span");
    item.className = "legend-item";
    item.append(swatch(classColor(k)), ` ${name}`);
    return item;
  });
  root.replaceChildren(...items);
}
