// The settings panel: builds its controls from /api/options and reads them back as a config.

const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REG_RATES = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];
const CLIPS = [null, 0.1, 0.5, 1, 5, 10];
const SELECTS = ["dataset", "activation", "loss", "optimizer", "variant", "regularization"];
const NUMBER_SELECTS = ["learning_rate", "regularization_rate", "clip"];
const RANGES = ["noise", "train_ratio", "points"];

const $ = (id) => document.getElementById(id);

function option(value, label) {
  const node = document.createElement("option");
  node.value = value === null ? "off" : String(value);
  node.textContent = label;
  return node;
}

function setSelect(select, value) {
  const text = value === null ? "off" : String(value);
  if (![...select.options].some((o) => o.value === text)) select.append(option(value, text));
  select.value = text;
}

/** The dataset menu, in groups: classification, regression, logic gates, your own data. */
function datasetGroups(datasets) {
  const groups = [["Classification", (d) => d.problem === "classification" && !d.fixed],
    ["Regression", (d) => d.problem === "regression"], ["Logic gates", (d) => d.fixed],
    ["Your own", (d) => d.problem === "custom"]];
  return groups.map(([label, belongs]) => {
    const group = document.createElement("optgroup");
    group.label = label;
    group.append(...Object.entries(datasets).filter(([, d]) => belongs(d)).map(([id, d]) => option(id, d.label)));
    return group;
  });
}

/** The problem of a configuration: "binary", "multiclass" or "regression". */
export function problemOf(config, datasets) {
  const dataset = datasets[config.dataset];
  if (dataset && dataset.problem !== "custom") {
    return dataset.problem === "regression" ? "regression" : dataset.classes > 2 ? "multiclass" : "binary";
  }
  if (config.custom_task === "regression") return "regression";
  const classes = Math.max((config.custom_classes || []).length,
    1 + Math.max(-1, ...(config.custom_points || []).map((p) => p[2])));
  return classes > 2 ? "multiclass" : "binary";
}

/** The configuration with its loss fitted to its problem (kept where it fits already). */
export function fitLoss(config, options) {
  const allowed = options.problem_losses[problemOf(config, options.datasets)];
  return allowed.includes(config.loss) ? config : { ...config, loss: allowed[0] };
}

/** A dataset's suggested settings, within this server's limits. */
export function suggestedSettings(options, dataset) {
  const suggested = { ...((options.datasets[dataset] || {}).suggested || {}) };
  const { max_points: points, max_hidden_layers: layers, max_neurons: neurons } = options.limits;
  if (suggested.points !== undefined) suggested.points = Math.min(suggested.points, points);
  if (suggested.hidden !== undefined) {
    suggested.hidden = suggested.hidden.slice(0, layers).map((size) => Math.min(size, neurons));
  }
  return suggested;
}

export class Controls {
  constructor(options, onChange) {
    this.options = options;
    this.hidden = options.defaults.hidden.slice();
    this.custom = null;  // the learner's own data of the current run, if any
    const choices = {
      activation: options.activations, loss: options.losses,
      optimizer: options.optimizers, variant: options.variants,
      regularization: options.regularizations,
    };
    for (const id of SELECTS) {
      if (id !== "dataset") $(id).replaceChildren(...Object.entries(choices[id]).map(([v, label]) => option(v, label)));
    }
    $("dataset").replaceChildren(...datasetGroups(options.datasets));
    $("learning_rate").replaceChildren(...LEARNING_RATES.map((v) => option(v, String(v))));
    $("regularization_rate").replaceChildren(...REG_RATES.map((v) => option(v, String(v))));
    $("clip").replaceChildren(...CLIPS.map((v) => option(v, v === null ? "off" : String(v))));
    $("points").max = String(options.limits.max_points);
    const features = $("features");
    features.replaceChildren(...Object.entries(options.features).map(([id, label]) => {
      const box = document.createElement("label");
      box.className = "feature";
      const input = document.createElement("input");
      input.type = "checkbox";
      input.value = id;
      input.name = "feature";
      box.append(input, ` ${label}`);
      return box;
    }));
    const changed = () => onChange(fitLoss(this.read(), options));
    for (const id of [...SELECTS, ...NUMBER_SELECTS, "batch_norm"]) {
      if (id !== "dataset") $(id).addEventListener("change", changed);
    }
    // a dataset picked in the menu brings the settings it learns well with (spirals: more)
    $("dataset").addEventListener("change", () => onChange(fitLoss(
      { ...this.read(), ...suggestedSettings(options, $("dataset").value) }, options)));
    for (const id of RANGES) {
      $(id).addEventListener("input", () => this.showRange(id));
      $(id).addEventListener("change", changed);
    }
    for (const id of ["batch_size", "seed"]) $(id).addEventListener("change", changed);
    features.addEventListener("change", changed);
    $("variant").addEventListener("change", () => this.showBatchSize());
  }

  showRange(id) {
    const value = Number($(id).value);
    $(`${id}-value`).textContent = id === "train_ratio" ? `${value}%` : String(value);
  }

  showBatchSize() {
    $("batch-size-label").hidden = $("variant").value !== "minibatch";
  }

  /** Show a (server-normalised) config in the controls. */
  write(config) {
    for (const id of SELECTS) $(id).value = config[id];
    const allowed = this.options.problem_losses[problemOf(config, this.options.datasets)];
    for (const o of $("loss").options) o.disabled = !allowed.includes(o.value);
    this.custom = config.dataset === "custom" ? {
      custom_task: config.custom_task, custom_points: config.custom_points,
      custom_classes: config.custom_classes, custom_columns: config.custom_columns,
    } : null;
    for (const id of NUMBER_SELECTS) setSelect($(id), config[id]);
    for (const id of RANGES) { $(id).value = String(config[id]); this.showRange(id); }
    $("batch_size").value = String(config.batch_size);
    $("seed").value = String(config.seed);
    $("batch_norm").checked = config.batch_norm;
    for (const box of document.querySelectorAll("#features input")) {
      box.checked = config.features.includes(box.value);
    }
    this.hidden = config.hidden.slice();
    const gate = this.options.gates.includes(config.dataset);
    const fixed = gate || config.dataset === "custom";
    for (const id of ["noise", "points"]) $(id).disabled = fixed;
    $("train_ratio").disabled = gate;
    const note = gate ? "A truth table: its four rows are the training and the test set."
      : config.dataset === "custom" ? customNote(config) : "";
    $("data-note").textContent = note;
    $("data-note").hidden = !note;
    this.showBatchSize();
    const layers = this.hidden.length;
    $("layer-count").textContent = `${layers} hidden layer${layers === 1 ? "" : "s"}`;
    $("layer-add").disabled = layers >= this.options.limits.max_hidden_layers;
    $("layer-remove").disabled = layers === 0;
  }

  /** The config the controls show now (with the learner's own data, if the run has some). */
  read() {
    const number = (id) => Number($(id).value);
    const custom = $("dataset").value === "custom" && this.custom ? this.custom : {};
    return {
      ...custom,
      dataset: $("dataset").value,
      noise: number("noise"),
      points: number("points"),
      train_ratio: number("train_ratio"),
      features: [...document.querySelectorAll("#features input:checked")].map((b) => b.value),
      hidden: this.hidden.slice(),
      activation: $("activation").value,
      loss: $("loss").value,
      learning_rate: number("learning_rate"),
      variant: $("variant").value,
      batch_size: number("batch_size"),
      optimizer: $("optimizer").value,
      regularization: $("regularization").value,
      regularization_rate: number("regularization_rate"),
      clip: $("clip").value === "off" ? null : number("clip"),
      batch_norm: $("batch_norm").checked,
      seed: number("seed"),
    };
  }
}

function customNote(config) {
  const [x1, x2, label] = config.custom_columns;
  const what = config.custom_task === "regression" ? "values" : "classes";
  const source = x1 ? `columns ${x1} (x₁) and ${x2} (x₂), ${what} from ${label}` : `drawn by hand, ${what}`;
  return `Your own ${config.custom_points.length} points: ${source}.`;
}
