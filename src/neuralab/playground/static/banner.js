// The message line under the top bar. Each message has a cause; a message goes away when its
// cause does: "run" messages (a refused setting, a stopped training, a note on the data) when
// the next run is ready, "connection" messages when the connection is back.

const $ = (id) => document.getElementById(id);

let shown = null;  // {cause, action}

/**
 * Show a message. kind: "error" or "info"; cause: "run" or "connection"; action: an optional
 * {label, run} button (e.g. "Start from the defaults", "Reconnect").
 */
export function showBanner(text, { kind = "error", cause = "run", action = null } = {}) {
  $("banner-text").textContent = text;
  $("banner").dataset.kind = kind;
  $("banner").dataset.cause = cause;
  const button = $("banner-action");
  button.hidden = !action;
  if (action) button.textContent = action.label;
  shown = { cause, action };
  $("banner").hidden = false;
}

/** Hide the message if its cause is ``cause`` (any message without an argument). */
export function clearBanner(cause = null) {
  if (shown && (cause === null || shown.cause === cause)) {
    shown = null;
    $("banner").hidden = true;
  }
}

export function wireBanner() {
  $("banner-close").addEventListener("click", () => clearBanner());
  $("banner-action").addEventListener("click", () => {
    const action = shown && shown.action;
    clearBanner();
    if (action) action.run();
  });
}
