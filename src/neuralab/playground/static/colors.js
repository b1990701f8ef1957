// Colour scales and base64 map decoding shared by the heat map and the neuron maps.
// Class 0 / negative values are orange, class 1 / positive values blue, zero is near white.

const NEG = [245, 147, 34];
const MID = [240, 240, 236];
const POS = [8, 119, 189];

function mix(a, b, t) {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Colour of a value in [-1, 1]: orange (-1), white (0), blue (+1). */
export function diverging(v) {
  const t = Math.max(-1, Math.min(1, v));
  return t < 0 ? mix(MID, NEG, -t) : mix(MID, POS, t);
}

export const CLASS_COLORS = ["rgb(245,147,34)", "rgb(8,119,189)"];

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

/** A signed map sent as int8 relative to its largest magnitude -> Float32Array in [-1, 1]. */
export function decodeSigned(map) {
  const raw = new Int8Array(bytes(map.data).buffer);
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw[i] / 127;
  return out;
}

/**
 * Paint a size x size grid of values in [-1, 1] onto a canvas, scaled to fill it.
 * The grid's first row is the top of the picture (largest x2).
 */
export function paintGrid(canvas, values, size, discretize = false) {
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(size, size);
  for (let i = 0; i < values.length; i++) {
    let v = values[i];
    if (discretize) v = v > 0 ? 1 : -1;
    const [r, g, b] = diverging(v);
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  const scratch = paintGrid.scratch || (paintGrid.scratch = document.createElement("canvas"));
  scratch.width = size;
  scratch.height = size;
  scratch.getContext("2d").putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}
