// The whole configuration lives in the URL's hash, so a shared link reproduces the run:
//   #dataset=xor&noise=0.05&features=x1,x2&hidden=4,4&activation=tanh&...&seed=0
// Lists are comma-separated (text items URI-encoded), booleans 1/0, "no clipping" is clip=off.
// The learner's own data travels too, with dataset=custom: custom_points=x1_x2_t,x1_x2_t,...
// and the custom_task, custom_classes and custom_columns.

const CUSTOM = ["custom_task", "custom_points", "custom_classes", "custom_columns"];

export function configToHash(config) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(config)) {
    if (CUSTOM.includes(key) && config.dataset !== "custom") continue;
    if (key === "custom_points") params.set(key, value.map((p) => p.join("_")).join(","));
    else if (Array.isArray(value)) params.set(key, value.map((v) => encodeURIComponent(String(v))).join(","));
    else if (typeof value === "boolean") params.set(key, value ? "1" : "0");
    else if (value === null) params.set(key, "off");
    else params.set(key, String(value));
  }
  return "#" + params.toString().replaceAll("%2C", ",");
}

/** URI-decoded text, or the text as it is if it is not valid URI encoding. */
function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A number, or the text itself if it is not one (the server then says what is wrong). */
function numberOr(text) {
  const value = Number(text);
  return text.trim() === "" || Number.isNaN(value) ? text : value;
}

/**
 * The settings named in the hash, typed like the defaults; unknown keys and values that are not
 * numbers are kept as text, so that the server can say what is wrong with them.
 */
export function hashToConfig(hash, defaults) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const config = {};
  for (const [key, text] of params) {
    const like = defaults[key];
    const items = text === "" ? [] : text.split(",");
    if (key === "custom_points") config[key] = items.map((p) => p.split("_").map(numberOr));
    else if (key === "hidden") config[key] = items.map(numberOr);
    else if (Array.isArray(like)) config[key] = items.map(decode);
    else if (typeof like === "boolean") config[key] = text === "1" || text === "true" ? true : text === "0" || text === "false" ? false : text;
    else if (typeof like === "number") config[key] = numberOr(text);
    else if (key === "clip") config[key] = text === "off" ? null : numberOr(text);
    else config[key] = text;
  }
  return config;
}
