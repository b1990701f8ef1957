// The whole configuration lives in the URL's hash, so a shared link reproduces the run:
//   #dataset=xor&noise=0.05&features=x1,x2&hidden=4,4&activation=tanh&...&seed=0
// Lists are comma-separated, booleans 1/0, "no clipping" is clip=off.

export function configToHash(config) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(config)) {
    if (Array.isArray(value)) params.set(key, value.join(","));
    else if (typeof value === "boolean") params.set(key, value ? "1" : "0");
    else if (value === null) params.set(key, "off");
    else params.set(key, String(value));
  }
  return "#" + params.toString().replaceAll("%2C", ",");
}

/**
 * The settings named in the hash, typed like the defaults; unknown keys are kept as strings so
 * that the server can say what is wrong with them.
 */
export function hashToConfig(hash, defaults) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const config = {};
  for (const [key, text] of params) {
    const like = defaults[key];
    if (Array.isArray(like)) {
      const items = text === "" ? [] : text.split(",");
      config[key] = key === "hidden" ? items.map(Number) : items;
    } else if (typeof like === "boolean") config[key] = text === "1" || text === "true";
    else if (typeof like === "number") config[key] = Number(text);
    else if (key === "clip") config[key] = text === "off" ? null : Number(text);
    else config[key] = text;
  }
  return config;
}
