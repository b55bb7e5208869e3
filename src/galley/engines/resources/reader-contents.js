// reader-contents.js: the contents follow the scroll. Inlined into the page after reader.js by
// the embedded engine; it makes no request.
//
// The link of the section being read is marked current (the first section from the top of the
// page on), and named in the bar a phone reader opens the contents from; on a phone the
// contents close once a link is followed. Without JavaScript the contents are a plain list.
(function () {
  "use strict";

  const PHONE = window.matchMedia("(max-width: 1099px)");

  function target(link) {
    const id = decodeURIComponent(link.getAttribute("href").slice(1));
    return document.getElementById(id);
  }

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
      // From the top of the page, before any heading has passed the line, the first section
      // is the one in view.
      let reading = sections[0] || null;
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


  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", contents);
  } else {
    contents();
  }
})();
