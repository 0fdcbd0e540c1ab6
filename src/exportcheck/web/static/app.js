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

// <iframe data-fit>: the frame grows and shrinks with the report in it, so the page scrolls
// once, not the frame inside it; without JavaScript it keeps its fixed height and scrolls. The
// report is sandboxed (an opaque origin: the page cannot read its document), so it tells its
// height (impact/report.py, SIZING). Only a message from a data-fit frame's own window, of
// that type, with a height in bounds, sizes that frame: nothing else here reads a message.
const FIT_MESSAGE = "exportcheck-report-height";
const FIT_MAX = 500000; // px: a report taller than this keeps its fixed frame and scrolls
window.addEventListener("message", (event) => {
  const data = event.data;
  if (!data || typeof data !== "object" || data.type !== FIT_MESSAGE) return;
  const height = data.height;
  if (typeof height !== "number" || !Number.isFinite(height) || height <= 0 ||
      height > FIT_MAX) return;
  const frame = [...document.querySelectorAll("iframe[data-fit]")]
    .find((f) => f.contentWindow === event.source);
  if (!frame) return;
  frame.style.height = Math.ceil(height) + frame.offsetHeight - frame.clientHeight + "px";
});

// A refused form swapped in by htmx gives its box at fault the focus ([autofocus]), and
// focusing scrolls no further than needed to show part of it: a box near the top of a long
// form (the Check page's Item, after its button far below was clicked) stayed half above the
// window, its label out of sight. The box and its label come fully into view.
// An answer that takes the focus ([data-scroll-to="start"]: the Check page's results) comes
// into view from its top: focusing shows only part of a block taller than the window, and the
// browser's scroll anchoring had kept the page's foot in view, the end of the rule trace.
// After the current task: a form whose action names an anchor ("/screen/disposition#hit-...")
// has htmx scroll to that anchor once the swap has settled, which put a hit's Reason box,
// further down than the window is tall, out of sight again.
document.addEventListener("htmx:afterSettle", () => {
  setTimeout(() => {
    const box = document.activeElement;
    if (box instanceof HTMLElement && box.getAttribute("aria-invalid") === "true") {
      (box.closest("label") || box).scrollIntoView({ block: "nearest" });
    } else if (box instanceof HTMLElement && box.dataset.scrollTo === "start") {
      box.scrollIntoView({ block: "start" });
    }
  }, 0);
});
