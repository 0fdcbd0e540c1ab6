// exportcheck's own page behaviour, kept out of the HTML so that the Content-Security-Policy
// can refuse every inline script (web/limits.py). Listeners sit on the document, so pages that
// htmx swaps in are covered too.
"use strict";

// <input type="file" data-checks="ID">: choosing a file ticks the radio button ID
document.addEventListener("change", (event) => {
  const input = event.target;
  if (input instanceof HTMLInputElement && input.dataset.checks && input.files?.length) {
    const radio = document.getElementById(input.dataset.checks);
    if (radio) radio.checked = true;
  }
});

// <iframe data-fit>: the frame grows and shrinks with its (same-origin) document, so the page
// scrolls once, not the frame inside it; without JavaScript it keeps its fixed height and
// scrolls. The document's own height, not its scrollHeight: that is never less than the frame,
// so a frame once grown (a section opened, a phone turned) would never shrink back.
// Load events do not bubble: listened for in the capture phase.
document.addEventListener("load", (event) => {
  const frame = event.target;
  if (!(frame instanceof HTMLIFrameElement) || !("fit" in frame.dataset)) return;
  const doc = frame.contentDocument;
  if (!doc?.body || !window.ResizeObserver) return;
  const fit = () => {
    const height = Math.ceil(doc.documentElement.getBoundingClientRect().height);
    frame.style.height = height + frame.offsetHeight - frame.clientHeight + "px";
  };
  new ResizeObserver(fit).observe(doc.body);
  fit();
}, true);

// A refused form swapped in by htmx gives its box at fault the focus ([autofocus]), and
// focusing scrolls no further than needed to show part of it: a box near the top of a long
// form (the Check page's Item, after its button far below was clicked) stayed half above the
// window, its label out of sight. The box and its label come fully into view.
document.addEventListener("htmx:afterSettle", () => {
  const box = document.activeElement;
  if (box instanceof HTMLElement && box.getAttribute("aria-invalid") === "true") {
    (box.closest("label") || box).scrollIntoView({ block: "nearest" });
  }
});
