// Colour scales and base64 map decoding shared by the heat map and the neuron maps.
// Class 0 / negative values are orange, class 1 / positive values blue, zero is near white;
// further classes get their own colours.

const NEG = [245, 147, 34];
const MID = [240, 240, 236];
const POS = [8, 119, 189];
/** One colour per class: orange and blue for two classes (as the diverging scale), then more. */
const CLASSES = [NEG, POS, [44, 160, 44], [148, 103, 189], [214, 39, 40], [23, 163, 170]];

function mix(a, b, t) {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Colour of a value in [-1, 1]: orange (-1), white (0), blue (+1). */
export function diverging(v) {
  const t = Math.max(-1, Math.min(1, v));
  return t < 0 ? mix(MID, NEG, -t) : mix(MID, POS, t);
}

/** Colour of class k at strength t in [0, 1] (0: white, 1: the class's full colour). */
export function classColor(k, t = 1) {
  return mix(MID, CLASSES[k % CLASSES.length], Math.max(0, Math.min(1, t)));
}

export function css(rgb) {
  return `rgb(${rgb[0] | 0},${rgb[1] | 0},${rgb[2] | 0})`;
}

function bytes(b64) {
  const raw = atob(b64);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** Probabilities sent as uint8 (p * 255) -> Float32Array of p. */
export function decodeProbability(b64) {
  const raw = bytes(b64);
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw[i] / 255;
  return out;
}

/** A signed map sent as int8 relative to its scale -> Float32Array in [-1, 1]. */
export function decodeSigned(b64) {
  const raw = new Int8Array(bytes(b64).buffer);
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw[i] / 127;
  return out;
}

/**
 * Paint a size x size grid onto a canvas, scaled to fill it; colorOf(i) gives cell i's
 * [r, g, b]. The grid's first row is the top of the picture (largest x2).
 */
export function paintCells(canvas, size, colorOf) {
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    const [r, g, b] = colorOf(i);
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  const scratch = paintCells.scratch || (paintCells.scratch = document.createElement("canvas"));
  scratch.width = size;
  scratch.height = size;
  scratch.getContext("2d").putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}

/** Paint values in [-1, 1] on the diverging scale (discretized: in steps of 1/4, or the sign). */
export function paintGrid(canvas, values, size, discretize = false, bands = false) {
  paintCells(canvas, size, (i) => {
    let v = values[i];
    if (discretize) v = bands ? Math.round(v * 4) / 4 : (v > 0 ? 1 : -1);
    return diverging(v);
  });
}

/**
 * The likeliest class of each cell and how sure the network is of it, from one probability map
 * per class: {best: Uint8Array, strength: Float32Array in [0, 1]} (1 - K/(K-1) (1 - p_max)
 * rescales p_max from [1/K, 1] to [0, 1]).
 */
export function classRegions(probabilities) {
  const k = probabilities.length;
  const n = probabilities[0].length;
  const best = new Uint8Array(n);
  const strength = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let top = 0;
    for (let c = 1; c < k; c++) if (probabilities[c][i] > probabilities[top][i]) top = c;
    best[i] = top;
    strength[i] = Math.max(0, 1 - (k / (k - 1)) * (1 - probabilities[top][i]));
  }
  return { best, strength };
}

/** Paint class regions: each cell in its likeliest class's colour, paler where unsure. */
export function paintRegions(canvas, regions, size, discretize = false) {
  paintCells(canvas, size, (i) => classColor(regions.best[i], discretize ? 0.75 : 0.2 + 0.65 * regions.strength[i]));
}
