// reader-links.js: links a reader can copy, and follow back. Inlined into the page after
// reader.js by the embedded engine; it makes no request.
//
// - a link icon on each section heading, figure and table: a link to that place (#fig-x), which
//   also copies the place's full address to the clipboard, to paste into a review or a message;
// - each work of the reference list links back to every place that cites it ("↩ 1", "↩ 2"), so
//   that a reader who followed a citation to the list can return to the sentence.
// Without JavaScript the page reads the same, without these links.
(function () {
  "use strict";

  const ICON = '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">' +
    '<path fill="currentColor" d="M7.8 4.3 9.6 2.5a3.2 3.2 0 0 1 4.5 4.5l-2.4 2.4a3.2 3.2 0 0 1-4.5 0l-.5-.5 1-1 .5.5a1.8 1.8 0 0 0 2.5 0l2.4-2.4a1.8 1.8 0 0 0-2.5-2.5L8.8 5.3Z' +
    'M8.2 11.7l-1.8 1.8a3.2 3.2 0 0 1-4.5-4.5l2.4-2.4a3.2 3.2 0 0 1 4.5 0l.5.5-1 1-.5-.5a1.8 1.8 0 0 0-2.5 0L2.9 10a1.8 1.8 0 0 0 2.5 2.5l1.8-1.8Z"/></svg>';

  function anchor(id, kind) {
    const link = document.createElement("a");
    link.className = "galley-anchor";
    link.href = "#" + encodeURIComponent(id);
    link.setAttribute("aria-label", "Link to this " + kind);
    link.title = "Copy a link to this " + kind;
    link.innerHTML = ICON;
    link.addEventListener("click", () => {
      const address = window.location.href.split("#")[0] + "#" + encodeURIComponent(id);
      if (!navigator.clipboard) return;
      navigator.clipboard.writeText(address).then(
        () => {
          link.title = "Link copied";
          link.classList.add("galley-copied");
          window.setTimeout(() => {
            link.title = "Copy a link to this " + kind;
            link.classList.remove("galley-copied");
          }, 1500);
        },
        () => {},  // no clipboard (permission refused): the link still leads to the place
      );
    });
    return link;
  }

  function anchors() {
    document.querySelectorAll("main section[id] > :is(h1, h2, h3, h4, h5, h6)").forEach((h) => {
      h.appendChild(anchor(h.parentElement.id, "section"));
    });
    document.querySelectorAll("main div.quarto-float[id]").forEach((float) => {
      const caption = float.querySelector("figcaption, caption");
      if (caption) caption.appendChild(anchor(float.id, float.id.startsWith("tbl-") ? "table" : "figure"));
    });
  }

  function backlinks() {
    const cited = new Map();
    document.querySelectorAll('main a[role="doc-biblioref"][href^="#ref-"]').forEach((link) => {
      if (link.closest(".csl-entry")) return;
      const key = decodeURIComponent(link.getAttribute("href").slice(1));
      const places = cited.get(key) || [];
      places.push(link);
      cited.set(key, places);
      if (!link.id) link.id = "cite-" + key.slice("ref-".length) + "-" + places.length;
    });
    cited.forEach((places, key) => {
      const entry = document.getElementById(key);
      if (!entry) return;
      const box = document.createElement("span");
      box.className = "galley-backlinks";
      places.forEach((place, index) => {
        const back = document.createElement("a");
        back.href = "#" + encodeURIComponent(place.id);
        back.textContent = places.length > 1 ? "↩\u00a0" + (index + 1) : "↩";
        back.setAttribute("aria-label", "Back to citation " + (index + 1) + " of " + places.length);
        box.append(" ", back);
      });
      entry.appendChild(box);
    });
  }

  function start() {
    anchors();
    backlinks();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
