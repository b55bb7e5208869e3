// galley preview: added to the served page only (never to the file on disk). Listens for the
// preview's rebuilds, reloads the page on one and keeps the scroll position; shows a failed
// rebuild's message as text over the last good page.
(() => {
  "use strict";
  const built = Number(document.currentScript.dataset.version);
  const key = "galley-preview-scroll:" + location.pathname;
  history.scrollRestoration = "manual";
  const saved = JSON.parse(sessionStorage.getItem(key) || "null");
  sessionStorage.removeItem(key);
  const restore = () => {
    if (saved) window.scrollTo(saved.x, saved.y);
  };
  restore();
  // Images finish loading after the script runs and can move the text: restore once more.
  const restored = () => {
    restore();
    document.documentElement.dataset.galleyPreview = "ready";
  };
  if (document.readyState === "complete") restored();
  else window.addEventListener("load", restored);

  const banner = document.createElement("div");
  banner.id = "galley-preview-error";
  banner.setAttribute("role", "alert");
  banner.style.cssText =
    "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:40vh;overflow:auto;" +
    "margin:0;padding:0.75em 1em;background:#fff0f0;color:#8a0000;border-top:3px solid #c00;" +
    "font:14px/1.4 ui-monospace,monospace;white-space:pre-wrap";
  const show = (message) => {
    banner.textContent = "galley preview: the last edit did not build; showing the last good " +
      "page.\n" + message;
    if (!banner.isConnected) document.body.appendChild(banner);
  };

  const events = new EventSource("/__galley__/events");
  events.addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    if (state.version > built) {
      sessionStorage.setItem(key, JSON.stringify({ x: window.scrollX, y: window.scrollY }));
      events.close();
      location.reload();
    } else if (state.error) {
      show(state.error);
    } else {
      banner.remove();
    }
  });
})();
