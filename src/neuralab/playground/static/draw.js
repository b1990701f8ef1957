// The learner's own points, drawn on the output map: a click adds a point of the class (or the
// value) picked under the map; "Clear" starts from an empty map. Each change starts a new run
// with the points as "custom" data, shown at once (the server's answer follows).

const $ = (id) => document.getElementById(id);

export class Drawing {
  /**
   * @param {Controls} controls  the settings panel (its ``custom`` holds the points)
   * @param {Heatmap} heatmap  the output map
   * @param {(config) => void} configure  starts a run
   * @param {{options, data, config}} state  the page's state: options, the run's points and settings
   */
  constructor(controls, heatmap, configure, state) {
    Object.assign(this, { controls, heatmap, configure, state });
  }

  /** The current points as the learner's own data (the start of drawing on them). */
  customFromData() {
    const { data, config } = this.state;
    const custom = config && config.dataset === "custom" ? config : null;
    return {
      custom_task: data && data.problem === "regression" ? "regression" : "classification",
      custom_points: data ? [...data.train, ...data.test].map((row) => row.slice()) : [],
      custom_classes: custom ? custom.custom_classes.slice() : [],
      custom_columns: custom ? custom.custom_columns.slice() : [],
    };
  }

  /** The click modes of the map: trace a point, or add a point of a class (or a value). */
  updateModes(data) {
    const select = $("click-mode");
    const before = select.value;
    const modes = [["trace", "traces a point"]];
    if (data.problem === "regression") modes.push(["value", "adds a point of value"]);
    else {
      const classes = Math.min(data.classes.length + 1, this.state.options.limits.max_classes);
      for (let k = 0; k < classes; k++) modes.push([String(k), `adds ${data.classes[k] ?? `class ${k}`}`]);
    }
    select.replaceChildren(...modes.map(([value, label]) => {
      const node = document.createElement("option");
      node.value = value;
      node.textContent = label;
      return node;
    }));
    select.value = modes.some(([value]) => value === before) ? before : "trace";
    this.applyMode();
  }

  applyMode() {
    const mode = $("click-mode").value;
    this.heatmap.drawing = mode !== "trace";
    $("value-label").hidden = mode !== "value";
    $("heatmap").classList.toggle("drawing", this.heatmap.drawing);
  }

  /** Start a run on ``custom`` points, showing them before the server answers. */
  use(custom) {
    this.controls.custom = custom;
    $("dataset").value = "custom";
    const data = this.state.data;
    this.heatmap.setData({ ...data, train: custom.custom_points.map((p) => p.slice()), test: [],
      classes: custom.custom_classes.length ? custom.custom_classes : data.classes,
      problem: custom.custom_task === "regression" ? "regression" : data.problem });
    this.configure(this.controls.read());
  }

  add(x1, x2) {
    const mode = $("click-mode").value;
    const target = mode === "value" ? Number($("point-value").value) : Number(mode);
    if (!Number.isFinite(target)) return;
    const base = this.controls.custom ?? this.customFromData();
    this.use({ ...base, custom_points: [...base.custom_points, [+x1.toFixed(3), +x2.toFixed(3), target]] });
  }

  clear() {
    if (!this.state.data) return;
    const task = this.state.data.problem === "regression" ? "regression" : "classification";
    if ($("click-mode").value === "trace") {
      $("click-mode").value = task === "regression" ? "value" : "0";
      this.applyMode();
    }
    this.use({ custom_task: task, custom_points: [], custom_classes: [], custom_columns: [] });
  }
}
