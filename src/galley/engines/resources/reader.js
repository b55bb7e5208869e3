// reader.js: reading aids for galley's HTML article. Inlined into the page by the embedded
// engine; it makes no request and needs nothing but the page itself.
//
// - the contents follow the scroll: the current section is marked, and shown in the bar a
//   phone reader opens the contents from;
// - hover (or focus) cards: a citation shows its full reference from the page's own reference
//   list, a cross-reference previews its figure, table or section, a "Source" button shows a
//   figure's or table's source note;
// - a figure opens in a viewer that fits it to the screen, or shows it at its own size.
// Without JavaScript the page reads the same, with the notes shown in place.
(function () {
  "use strict";

  const PHONE = window.matchMedia("(max-width: 1099px)");
  let popup = null;
  let popupOwner = null;
  let hideTimer = 0;

  function makePopup() {
    popup = document.createElement("div");
    popup.id = "galley-popup";
    popup.className = "galley-popup";
    popup.setAttribute("role", "tooltip");
    popup.hidden = true;
    popup.addEventListener("mouseenter", () => window.clearTimeout(hideTimer));
    popup.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(popup);
  }

  // A copy of `node` that can sit in the card: no ids (they must stay unique), no buttons.
  function copyOf(node) {
    const copy = node.cloneNode(true);
    copy.removeAttribute("id");
    copy.hidden = false;
    copy.querySelectorAll("[id]").forEach((el) => el.removeAttribute("id"));
    copy.querySelectorAll(".galley-zoom").forEach((zoom) => zoom.replaceWith(...zoom.childNodes));
    copy.querySelectorAll("button, .galley-source-note, .para-number").forEach((el) => el.remove());
    return copy;
  }

  function show(owner, content, kind) {
    window.clearTimeout(hideTimer);
    popup.replaceChildren(content);
    popup.className = "galley-popup galley-popup-" + kind;
    popup.hidden = false;
    popupOwner = owner;
    owner.setAttribute("aria-describedby", popup.id);
    place(owner);
  }

  function place(owner) {
    const box = owner.getBoundingClientRect();
    const width = Math.min(popup.offsetWidth, document.documentElement.clientWidth - 16);
    let left = box.left + window.scrollX;
    left = Math.max(8, Math.min(left, window.scrollX + document.documentElement.clientWidth - width - 8));
    let top = box.bottom + window.scrollY + 6;
    if (box.bottom + popup.offsetHeight + 12 > window.innerHeight && box.top > popup.offsetHeight + 12) {
      top = box.top + window.scrollY - popup.offsetHeight - 6;
    }
    popup.style.left = left + "px";
    popup.style.top = top + "px";
  }

  function hide() {
    if (popupOwner) popupOwner.removeAttribute("aria-describedby");
    popupOwner = null;
    popup.hidden = true;
  }

  function scheduleHide() {
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(hide, 250);
  }

  function onHover(owner, kind, build) {
    const open = () => {
      const content = build();
      if (content) show(owner, content, kind);
    };
    owner.addEventListener("mouseenter", open);
    owner.addEventListener("focus", open);
    owner.addEventListener("mouseleave", scheduleHide);
    owner.addEventListener("blur", scheduleHide);
  }

  function target(link) {
    const id = decodeURIComponent(link.getAttribute("href").slice(1));
    return document.getElementById(id);
  }

  function citationCards() {
    document.querySelectorAll('a[role="doc-biblioref"][href^="#ref-"]').forEach((link) => {
      onHover(link, "citation", () => {
        const entry = target(link);
        return entry ? copyOf(entry) : null;
      });
    });
  }

  function crossrefPreview(node) {
    if (node.matches("figure, table")) return copyOf(node);
    if (node.matches("section")) {
      const box = document.createElement("div");
      const heading = node.querySelector("h1, h2, h3, h4, h5, h6");
      const para = node.querySelector("p");
      if (heading) {
        const title = document.createElement("p");
        title.className = "galley-popup-title";
        title.textContent = heading.textContent;
        box.appendChild(title);
      }
      if (para) box.appendChild(copyOf(para));
      return box;
    }
    return copyOf(node);
  }

  function crossrefCards() {
    document.querySelectorAll("a.quarto-xref").forEach((link) => {
      onHover(link, "crossref", () => {
        const node = target(link);
        return node ? crossrefPreview(node) : null;
      });
    });
  }

  // The source note under a figure or table becomes a "Source" button with a hover card; the
  // note stays in the page (hidden) so that print and a click show it in full.
  function sourceNoteCards() {
    document.querySelectorAll(".galley-source-note").forEach((note, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "galley-source-button";
      button.textContent = "Source and data";
      note.id = note.id || "galley-source-note-" + (index + 1);
      button.setAttribute("aria-controls", note.id);
      button.setAttribute("aria-expanded", "false");
      note.hidden = true;
      note.before(button);
      onHover(button, "source", () => (note.hidden ? copyOf(note) : null));
      button.addEventListener("click", () => {
        note.hidden = !note.hidden;
        button.setAttribute("aria-expanded", String(!note.hidden));
        hide();
      });
    });
  }

  // The figure viewer: the image fitted to the screen (a phone's too), its caption below; a
  // toggle shows it at its own size, panned by scrolling, for the detail of a large figure.
  function lightbox() {
    const dialog = document.createElement("dialog");
    dialog.className = "galley-lightbox";
    dialog.setAttribute("aria-label", "Figure, full size");
    const bar = document.createElement("div");
    bar.className = "galley-lightbox-bar";
    const actual = document.createElement("button");
    actual.type = "button";
    actual.className = "galley-lightbox-actual";
    const close = document.createElement("button");
    close.type = "button";
    close.className = "galley-lightbox-close";
    close.textContent = "Close";
    close.addEventListener("click", () => dialog.close());
    bar.append(actual, close);
    const frame = document.createElement("div");
    frame.className = "galley-lightbox-frame";
    const words = document.createElement("div");
    words.className = "galley-lightbox-caption";
    dialog.append(bar, frame, words);
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close();
    });
    const fit = (fitted) => {
      frame.classList.toggle("galley-actual-size", !fitted);
      actual.setAttribute("aria-pressed", String(!fitted));
      actual.textContent = fitted ? "Actual size" : "Fit to screen";
    };
    actual.addEventListener("click", () => fit(frame.classList.contains("galley-actual-size")));
    document.body.appendChild(dialog);

    document.querySelectorAll("main figure img").forEach((img) => {
      const figure = img.closest("figure");
      const caption = figure.querySelector("figcaption");
      const label = caption ? caption.textContent.split(":")[0].trim() : "figure";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "galley-zoom";
      button.setAttribute("aria-label", "Open " + label + " full size");
      img.replaceWith(button);
      button.appendChild(img);
      button.addEventListener("click", () => {
        const big = img.cloneNode(false);
        big.className = "galley-lightbox-image";
        frame.replaceChildren(big);
        words.replaceChildren(...(caption ? [copyOf(caption)] : []));
        fit(true);
        hide();
        dialog.showModal();
      });
    });
  }

  // Contents that follow the scroll: the link of the section being read is marked current; on a
  // phone the contents bar names it and closes once a link is followed.
  function contents() {
    const toc = document.getElementById("TOC");
    if (!toc) return;
    const details = toc.querySelector("details");
    const current = toc.querySelector(".toc-current");
    const links = new Map();
    toc.querySelectorAll('a[href^="#"]').forEach((link) => {
      const node = target(link);
      if (node) links.set(node, link);
    });
    const sections = Array.from(links.keys());
    let marked = null;

    function update() {
      const line = Math.min(120, window.innerHeight / 4);
      let reading = null;
      for (const section of sections) {
        if (section.getBoundingClientRect().top - line <= 0) reading = section;
      }
      const link = reading ? links.get(reading) : null;
      if (link === marked) return;
      if (marked) {
        marked.removeAttribute("aria-current");
        marked.classList.remove("active");
      }
      marked = link;
      if (link) {
        link.setAttribute("aria-current", "location");
        link.classList.add("active");
      }
      if (current) current.textContent = link ? link.textContent.trim() : "";
    }

    let pending = false;
    window.addEventListener("scroll", () => {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(() => {
        pending = false;
        update();
      });
    });
    if (details) {
      if (PHONE.matches) details.open = false;
      PHONE.addEventListener("change", () => (details.open = !PHONE.matches));
      toc.addEventListener("click", (event) => {
        if (PHONE.matches && event.target.closest("a")) details.open = false;
      });
    }
    update();
  }

  function escapeCloses() {
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !popup.hidden) hide();
    });
    window.addEventListener("resize", () => popupOwner && place(popupOwner));
  }

  function start() {
    document.documentElement.classList.add("galley-js");
    makePopup();
    citationCards();
    crossrefCards();
    sourceNoteCards();
    lightbox();
    contents();
    escapeCloses();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
