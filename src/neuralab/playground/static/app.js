// The playground page: one WebSocket to the server, which owns this tab's network and trains it.
// Messages are described in neuralab/playground/server.py.

import { clearBanner, showBanner, wireBanner } from "./banner.js";
import { LossChart } from "./chart.js";
import { Controls, fitLoss } from "./controls.js";
import { CsvDialog } from "./csv.js";
import { Drawing } from "./draw.js";
import { Heatmap } from "./heatmap.js";
import { renderLegend } from "./legend.js";
import { NetworkView } from "./network.js";
import { OutputMap } from "./output.js";
import { num, renderDiagnostics, renderTrace } from "./panels.js";
import { configToHash, hashToConfig } from "./urlstate.js";

const $ = (id) => document.getElementById(id);
/** Seconds between two keep-alive messages while the page is in use (see Limits.idle_seconds). */
const KEEP_ALIVE = 30;

const state = {
  options: null,
  session: null,
  socket: null,
  run: 0,
  config: null,       // the settings of the current run (null before the first one)
  data: null,         // its points, as the "ready" message sent them
  grid: 50,           // cells per side of the output map
  running: false,
  resumeAfterReady: false,
  pendingConfig: null,
  note: null,         // a note to show once the next run is ready
  idle: false,        // the server closed the session for idleness
  lastActivity: Date.now(),
};

function send(message) {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify(message));
}

/** The defaults, overridden by the settings in the page's link. */
function initialConfig() {
  return { ...state.options.defaults, ...hashToConfig(location.hash, state.options.defaults) };
}

function configure(config) {
  if (config.dataset === "custom" && !(config.custom_points || []).length && !controls.custom) {
    controls.custom = drawing.customFromData();  // "your own data" picked in the menu: start from these
    config = controls.read();
  }
  config = fitLoss(config, state.options);
  state.resumeAfterReady = state.running;
  if (!state.session) {  // not connected yet: the hello handler sends it
    state.pendingConfig = config;
    return;
  }
  send({ type: "config", config });
}

function setRunning(running) {
  state.running = running;
  const play = $("play");
  play.textContent = running ? "❚❚" : "▶";
  play.setAttribute("aria-label", running ? "Pause" : "Play");
  play.setAttribute("aria-pressed", String(running));
  document.body.classList.toggle("running", running);
}

/** The name of each output unit: the class names, or "output" for one unit. */
function outputNames(network, data) {
  return network.problem === "multiclass" ? data.classes : ["output"];
}

function networkNote(message) {
  const network = message.network;
  if (network.perceptron) {
    return "A perceptron: one step unit trained by the perceptron rule w ← w + η(y − ŷ)x. Its loss is the error rate.";
  }
  const reading = {
    binary: "The output unit's score z is read as p = σ(z)",
    multiclass: `The ${network.sizes[network.sizes.length - 1]} output scores are read through a softmax, one probability per class`,
    regression: "The output unit's value is the prediction",
  }[network.problem];
  const step = message.config.activation === "step"
    ? " Hidden step units have no gradient: training will stop with the engine's explanation." : "";
  return `${network.parameters} parameters. ${reading}; loss: ${network.loss_name}.${step}`;
}

function onReady(message) {
  state.run = message.run;
  state.config = message.config;
  state.data = message.data;
  state.grid = message.grid;
  history.replaceState(null, "", location.pathname + location.search + configToHash(message.config));
  controls.write(message.config);
  network.build(message.network, message.feature_maps, message.neuron_grid, state.options.limits,
    outputNames(message.network, message.data));
  heatmap.setData(message.data);
  chart.clear();
  renderLegend($("legend"), message.data);
  drawing.updateModes(message.data);
  $("accuracy-cell").hidden = message.data.problem === "regression";
  $("trace").replaceChildren();
  $("trace-index").max = String(message.data.train.length - 1);
  $("network-note").textContent = networkNote(message);
  clearBanner("run");
  if (message.source === "upload") showBanner("Model loaded from the uploaded file.", { kind: "info" });
  if (state.note) { showBanner(state.note, { kind: "info" }); state.note = null; }
  if (state.resumeAfterReady) { state.resumeAfterReady = false; send({ type: "play" }); }
}

function onFrame(message) {
  if (message.run !== state.run) return;  // a frame of an earlier run
  $("epoch").textContent = String(message.epoch);
  $("updates").textContent = String(message.updates);
  $("test-loss").textContent = num(message.test_loss, 3);
  $("train-loss").textContent = num(message.train_loss, 3);
  $("test-accuracy").textContent = message.test_accuracy === null ? "–" : `${(100 * message.test_accuracy).toFixed(1)}%`;
  const output = new OutputMap(message.output, state.grid);
  heatmap.setOutput(output);
  network.update(message, output);
  chart.add(message.epoch, message.train_loss, message.test_loss);
  if (message.diagnostics) renderDiagnostics($("diagnostics"), message.diagnostics);
  if (message.notice) showBanner(message.notice.message, { kind: "info" });
}

function onError(message) {
  if (message.code === "idle") {
    state.idle = true;
    showBanner(message.message, { cause: "connection", action: { label: "Reconnect", run: connect } });
  } else if (message.code === "invalid" && !state.config) {
    // the link's settings were refused: say why, keep the link, start nothing until asked
    showBanner(`This link's settings cannot be used, so nothing was started (the link is kept as it is). ${message.message}`,
      { action: { label: "Start from the defaults", run: () => configure(state.options.defaults) } });
  } else {
    showBanner(message.message);
  }
}

const HANDLERS = {
  hello(message) {
    state.session = message.session;
    state.idle = false;
    clearBanner("connection");
    send({ type: "speed", epochs_per_frame: Number($("speed").value) });
    // a control changed before the connection opened wins over the link's settings
    const config = state.pendingConfig ?? state.config ?? initialConfig();
    state.pendingConfig = null;
    send({ type: "config", config });
  },
  ready: onReady,
  frame: onFrame,
  status(message) { setRunning(message.running); },
  trace(message) {
    heatmap.selected = { split: message.split, index: message.index };
    heatmap.draw();
    renderTrace($("trace"), message);
  },
  csv_points(message) {
    state.note = message.note;
    controls.custom = message.settings;
    configure({ ...controls.read(), ...message.settings });
  },
  error: onError,
};

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws`);
  state.socket = socket;
  state.session = null;
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    const handler = HANDLERS[message.type];
    if (handler) handler(message);
  });
  socket.addEventListener("close", () => {
    if (socket !== state.socket) return;
    setRunning(false);
    state.session = null;
    if (!state.idle) {
      showBanner("The connection to the playground server was closed. Is `neuralab playground` still running?",
        { cause: "connection", action: { label: "Reconnect", run: connect } });
    }
  });
}

function togglePlay() { send({ type: state.running ? "pause" : "play" }); }

function trace(split, index) { send({ type: "trace", split, index }); }

/** POST a file's bytes to one of the session's upload routes; the JSON answer, or null. */
async function post(route, file, what) {
  if (!state.session) return null;
  const url = `/api/sessions/${state.session}/${route}?name=${encodeURIComponent(file.name)}`;
  const response = await fetch(url, { method: "POST", body: file, headers: { "Content-Type": "application/octet-stream" } });
  const answer = await response.json().catch(() => ({ detail: response.statusText }));
  if (!response.ok) {
    showBanner(`${what} refused: ${answer.detail}`);
    return null;
  }
  return answer;
}

function download(route) {
  if (!state.session) return;
  const link = document.createElement("a");
  link.href = `/api/sessions/${state.session}/${route}`;
  link.download = "";
  document.body.append(link);
  link.click();
  link.remove();
}

function wireButtons() {
  $("play").addEventListener("click", togglePlay);
  $("step").addEventListener("click", () => send({ type: "step" }));
  $("speed").addEventListener("change", (e) => send({ type: "speed", epochs_per_frame: Number(e.target.value) }));
  $("reset").addEventListener("click", () => send({ type: "reset" }));
  $("layer-add").addEventListener("click", () => {
    configure({ ...controls.read(), hidden: [...controls.hidden, 2] });
  });
  $("layer-remove").addEventListener("click", () => {
    configure({ ...controls.read(), hidden: controls.hidden.slice(0, -1) });
  });
  $("show-test").addEventListener("change", (e) => { heatmap.showTest = e.target.checked; heatmap.draw(); });
  $("discretize").addEventListener("change", (e) => { heatmap.discretize = e.target.checked; heatmap.draw(); });
  $("click-mode").addEventListener("change", () => drawing.applyMode());
  $("clear-points").addEventListener("click", () => drawing.clear());
  $("trace-go").addEventListener("click", () => trace($("trace-split").value, Number($("trace-index").value)));
  $("download").addEventListener("click", () => download("model.safetensors"));
  $("export").addEventListener("click", () => download("export.py"));
  $("upload").addEventListener("change", (e) => {
    if (e.target.files[0]) post("model", e.target.files[0], "Upload");
    e.target.value = "";
  });
  $("csv-file").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    e.target.value = "";
    if (!file) return;
    const summary = await post("csv", file, "CSV file");
    if (summary) csv.open(summary);
  });
  $("share").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      showBanner("Link copied: it opens this run with the same settings, data and seed.", { kind: "info" });
    } catch {
      showBanner(`Copy this link: ${location.href}`, { kind: "info" });
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea, button, dialog") || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === " ") { event.preventDefault(); togglePlay(); }
    else if (event.key === "s" || event.key === "S") send({ type: "step" });
    else if (event.key === "r" || event.key === "R") send({ type: "reset" });
  });
  for (const kind of ["pointermove", "keydown", "wheel"]) {
    document.addEventListener(kind, () => { state.lastActivity = Date.now(); }, { passive: true });
  }
  setInterval(() => {  // keep the session while the page is watched or used
    const used = Date.now() - state.lastActivity < 2 * KEEP_ALIVE * 1000;
    if (document.visibilityState === "visible" && (state.running || used)) send({ type: "ping" });
  }, KEEP_ALIVE * 1000);
}

let controls, heatmap, network, chart, csv, drawing;

async function main() {
  state.options = await (await fetch("/api/options")).json();
  controls = new Controls(state.options, configure);
  controls.write(initialConfig());  // complete from the start: a change reads every control
  heatmap = new Heatmap($("heatmap"), trace, (x1, x2) => drawing.add(x1, x2));
  drawing = new Drawing(controls, heatmap, configure, state);
  network = new NetworkView($("network"), $("edge-tip"), (hidden) => configure({ ...controls.read(), hidden }));
  chart = new LossChart($("chart"));
  csv = new CsvDialog((choice) => send({ type: "csv_columns", ...choice }));
  wireBanner();
  wireButtons();
  window.addEventListener("hashchange", () => {
    const fromLink = hashToConfig(location.hash, state.options.defaults);
    if (!state.config || configToHash({ ...state.config, ...fromLink }) !== configToHash(state.config)) {
      configure({ ...state.options.defaults, ...fromLink });
    }
  });
  connect();
}

main().catch((err) => showBanner(`The page could not start: ${err}`));
