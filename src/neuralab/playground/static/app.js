// The playground page: one WebSocket to the server, which owns this tab's network and trains it.
// Messages are described in neuralab/playground/server.py.

import { LossChart } from "./chart.js";
import { decodeProbability } from "./colors.js";
import { Controls } from "./controls.js";
import { Heatmap } from "./heatmap.js";
import { NetworkView } from "./network.js";
import { num, renderDiagnostics, renderTrace } from "./panels.js";
import { configToHash, hashToConfig } from "./urlstate.js";

const $ = (id) => document.getElementById(id);

const state = {
  options: null,
  session: null,
  socket: null,
  run: 0,
  config: null,
  running: false,
  resumeAfterReady: false,
  network: null,
  probabilities: null,
};

function banner(text, kind = "error") {
  $("banner-text").textContent = text;
  $("banner").dataset.kind = kind;
  $("banner").hidden = false;
}

function send(message) {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify(message));
}

/** The defaults, overridden by the settings in the page's link. */
function initialConfig() {
  return { ...state.options.defaults, ...hashToConfig(location.hash, state.options.defaults) };
}

function configure(config) {
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
  play.innerHTML = running ? "&#x275A;&#x275A;" : "&#x25B6;";
  play.setAttribute("aria-label", running ? "Pause" : "Play");
  play.setAttribute("aria-pressed", String(running));
  document.body.classList.toggle("running", running);
}

function onReady(message) {
  state.run = message.run;
  state.config = message.config;
  state.network = message.network;
  state.probabilities = null;
  history.replaceState(null, "", configToHash(message.config));
  controls.write(message.config);
  network.build(message.network, message.feature_maps, message.neuron_grid, state.options.limits);
  heatmap.setData(message.data, message.grid);
  chart.clear();
  $("trace").replaceChildren();
  $("trace-index").max = String(message.data.train.length - 1);
  const kind = message.network.perceptron
    ? "A perceptron: one step unit trained by the perceptron rule w ← w + η(y − ŷ)x. Its loss is the error rate."
    : `${message.network.parameters} parameters. The output unit's score z is read as p = σ(z); loss: ${message.network.loss_name}.`;
  const step = message.config.activation === "step" && !message.network.perceptron
    ? " Hidden step units have no gradient: training will stop with the engine's explanation."
    : "";
  $("network-note").textContent = kind + step;
  if (message.source === "upload") banner("Model loaded from the uploaded file.", "info");
  else if ($("banner").dataset.kind !== "error") $("banner").hidden = true;
  if (state.resumeAfterReady) { state.resumeAfterReady = false; send({ type: "play" }); }
}

function onFrame(message) {
  if (message.run !== state.run) return;  // a frame of an earlier run
  $("epoch").textContent = String(message.epoch);
  $("updates").textContent = String(message.updates);
  $("test-loss").textContent = num(message.test_loss, 3);
  $("train-loss").textContent = num(message.train_loss, 3);
  $("test-accuracy").textContent = message.test_accuracy === null ? "–" : `${(100 * message.test_accuracy).toFixed(1)}%`;
  state.probabilities = decodeProbability(message.output);
  heatmap.setProbabilities(state.probabilities);
  network.update(message, state.probabilities.map((p) => 2 * p - 1));
  chart.add(message.epoch, message.train_loss, message.test_loss);
  if (message.diagnostics) renderDiagnostics($("diagnostics"), message.diagnostics);
}

function onError(message) {
  banner(message.message);
  if (message.code === "invalid" && !state.config) {
    // the link's settings were refused: start from the defaults, keep the message shown
    send({ type: "config", config: state.options.defaults });
  }
}

const HANDLERS = {
  hello(message) {
    state.session = message.session;
    send({ type: "speed", epochs_per_frame: Number($("speed").value) });
    // a control changed before the connection opened wins over the link's settings
    send({ type: "config", config: state.pendingConfig ?? initialConfig() });
    state.pendingConfig = null;
  },
  ready: onReady,
  frame: onFrame,
  status(message) { setRunning(message.running); },
  trace(message) {
    heatmap.selected = { split: message.split, index: message.index };
    heatmap.draw();
    renderTrace($("trace"), message);
  },
  error: onError,
};

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws`);
  state.socket = socket;
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    const handler = HANDLERS[message.type];
    if (handler) handler(message);
  });
  socket.addEventListener("close", () => {
    setRunning(false);
    banner("The connection to the playground server was closed. Is `neuralab playground` still running? Reload the page to start again.");
  });
}

function togglePlay() { send({ type: state.running ? "pause" : "play" }); }

function trace(split, index) { send({ type: "trace", split, index }); }

async function upload(file) {
  if (!state.session) return;
  const body = new FormData();
  body.append("file", file, file.name);
  const response = await fetch(`/api/sessions/${state.session}/model`, { method: "POST", body });
  if (!response.ok) {
    const detail = await response.json().catch(() => ({ detail: response.statusText }));
    banner(`Upload refused: ${detail.detail}`);
  }
}

function download() {
  if (!state.session) return;
  const link = document.createElement("a");
  link.href = `/api/sessions/${state.session}/model.safetensors`;
  link.download = `neuralab-playground-${state.config.dataset}.safetensors`;
  document.body.append(link);
  link.click();
  link.remove();
}

function wireButtons() {
  $("play").addEventListener("click", togglePlay);
  $("step").addEventListener("click", () => send({ type: "step" }));
  $("speed").addEventListener("change", (e) => send({ type: "speed", epochs_per_frame: Number(e.target.value) }));
  $("reset").addEventListener("click", () => send({ type: "reset" }));
  $("banner-close").addEventListener("click", () => { $("banner").hidden = true; $("banner").dataset.kind = ""; });
  $("layer-add").addEventListener("click", () => {
    configure({ ...controls.read(), hidden: [...controls.hidden, 2] });
  });
  $("layer-remove").addEventListener("click", () => {
    configure({ ...controls.read(), hidden: controls.hidden.slice(0, -1) });
  });
  $("show-test").addEventListener("change", (e) => { heatmap.showTest = e.target.checked; heatmap.draw(); });
  $("discretize").addEventListener("change", (e) => { heatmap.discretize = e.target.checked; heatmap.draw(); });
  $("trace-go").addEventListener("click", () => trace($("trace-split").value, Number($("trace-index").value)));
  $("download").addEventListener("click", download);
  $("upload").addEventListener("change", (e) => {
    if (e.target.files[0]) upload(e.target.files[0]);
    e.target.value = "";
  });
  $("share").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      banner("Link copied: it opens this run with the same settings and seed.", "info");
    } catch {
      banner(`Copy this link: ${location.href}`, "info");
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea, button") || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === " ") { event.preventDefault(); togglePlay(); }
    else if (event.key === "s" || event.key === "S") send({ type: "step" });
    else if (event.key === "r" || event.key === "R") send({ type: "reset" });
  });
}

let controls, heatmap, network, chart;

async function main() {
  state.options = await (await fetch("/api/options")).json();
  controls = new Controls(state.options, configure);
  controls.write(initialConfig());  // complete from the start: a change reads every control
  heatmap = new Heatmap($("heatmap"), trace);
  network = new NetworkView($("network"), $("edge-tip"), (hidden) => configure({ ...controls.read(), hidden }));
  chart = new LossChart($("chart"));
  wireButtons();
  window.addEventListener("hashchange", () => {
    const fromLink = hashToConfig(location.hash, state.options.defaults);
    if (configToHash({ ...state.config, ...fromLink }) !== configToHash(state.config)) {
      configure({ ...state.options.defaults, ...fromLink });
    }
  });
  connect();
}

main().catch((err) => banner(`The page could not start: ${err}`));
