// reader.js: reading aids for galley's HTML article. Inlined into the page by the embedded
// engine; it makes no request and needs nothing but the page itself.
//
// - hover (or focus) cards: a citation shows its full reference from the page's own reference
//   list (every work of a grouped citation), a cross-reference previews its figure, table or
//   section, a "Source" button shows a figure's or table's source note; on a touch screen the
//   first tap on a citation or cross-reference opens its card and a second tap follows it;
// - a figure opens in a viewer that fits it to the screen, or shows it at its own size, and
//   pages to the previous and next figure (buttons, arrow keys).
// The contents that follow the scroll are reader-contents.js's.
// Without JavaScript the page reads the same, with the notes shown in place.
(function () {
  "use strict";

  let popup = null;
  let popupOwner = null;
  let hideTimer = 0;
  // How the last press was made: a tap ("touch") also fires mouse and focus events, which must
  // not open a card the tap itself then follows.
  let pressedBy = "mouse";

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
    copy.querySelectorAll("button, .galley-source-note, .para-number, .galley-anchor, .galley-backlinks")
      .forEach((el) => el.remove());
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
    const hover = () => {
      if (pressedBy !== "touch") open();
    };
    owner.addEventListener("mouseenter", hover);
    owner.addEventListener("focus", hover);
    owner.addEventListener("mouseleave", scheduleHide);
    owner.addEventListener("blur", () => pressedBy !== "touch" && scheduleHide());
    return open;
  }

  // A link with a card: on a touch screen, the first tap opens the card (there is no hover),
  // a second tap on the same link follows it.
  function onTapPreview(link, open) {
    link.addEventListener("click", (event) => {
      if (pressedBy !== "touch" || popupOwner === link) {
        hide();
        return;
      }
      event.preventDefault();
      open();
    });
  }

  function touchAware() {
    document.addEventListener("pointerdown", (event) => {
      pressedBy = event.pointerType;
      // A tap outside the open card and its link closes it.
      if (pressedBy === "touch" && !popup.hidden && !popup.contains(event.target) &&
          !(popupOwner && popupOwner.contains(event.target))) {
        hide();
      }
    }, true);
  }

  function target(link) {
    const id = decodeURIComponent(link.getAttribute("href").slice(1));
    return document.getElementById(id);
  }

  // A citation's card: its work, or every work of its group ("(Newman, 2001; Paris, 2001)"),
  // in the order the group prints them.
  function citationCard(link) {
    const group = link.closest(".citation");
    const links = group ? group.querySelectorAll('a[role="doc-biblioref"][href^="#ref-"]') : [link];
    const entries = Array.from(links, target).filter((entry, index, all) =>
      entry && all.indexOf(entry) === index);
    if (entries.length === 0) return null;
    if (entries.length === 1) return copyOf(entries[0]);
    const box = document.createElement("div");
    box.className = "galley-popup-group";
    entries.forEach((entry) => box.appendChild(copyOf(entry)));
    return box;
  }

  function citationCards() {
    document.querySelectorAll('a[role="doc-biblioref"][href^="#ref-"]').forEach((link) => {
      onTapPreview(link, onHover(link, "citation", () => citationCard(link)));
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
      const open = onHover(link, "crossref", () => {
        const node = target(link);
        return node ? crossrefPreview(node) : null;
      });
      onTapPreview(link, open);
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
    const previous = document.createElement("button");
    previous.type = "button";
    previous.className = "galley-lightbox-previous";
    previous.textContent = "‹ Previous";
    const next = document.createElement("button");
    next.type = "button";
    next.className = "galley-lightbox-next";
    next.textContent = "Next ›";
    const where = document.createElement("span");
    where.className = "galley-lightbox-where";
    where.setAttribute("aria-live", "polite");
    bar.append(previous, where, next, actual, close);
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

    const images = Array.from(document.querySelectorAll("main figure img"));
    let showing = 0;
    // Show the figure at `index` of the page's figures, in order; paging wraps at the ends.
    const open = (index) => {
      showing = (index + images.length) % images.length;
      const img = images[showing];
      const caption = img.closest("figure").querySelector("figcaption");
      const big = img.cloneNode(false);
      big.className = "galley-lightbox-image";
      frame.replaceChildren(big);
      words.replaceChildren(...(caption ? [copyOf(caption)] : []));
      where.textContent = images.length > 1 ? (showing + 1) + " / " + images.length : "";
      fit(true);
      hide();
      if (!dialog.open) dialog.showModal();
    };
    previous.addEventListener("click", () => open(showing - 1));
    next.addEventListener("click", () => open(showing + 1));
    previous.hidden = next.hidden = images.length < 2;
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "ArrowLeft" && images.length > 1) open(showing - 1);
      if (event.key === "ArrowRight" && images.length > 1) open(showing + 1);
    });

    images.forEach((img, index) => {
      const caption = img.closest("figure").querySelector("figcaption");
      const label = caption ? caption.textContent.split(":")[0].trim() : "figure";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "galley-zoom";
      button.setAttribute("aria-label", "Open " + label + " full size");
      img.replaceWith(button);
      button.appendChild(img);
      button.addEventListener("click", () => open(index));
    });
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
    touchAware();
    citationCards();
    crossrefCards();
    sourceNoteCards();
    lightbox();
    escapeCloses();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
