// Render every formula of the page with the KaTeX the site serves itself.
//
// pymdownx.arithmatex (generic mode) leaves inline math as
// <span class="arithmatex">\(...\)</span> and display math as
// <div class="arithmatex">\[...\]</div>. Each one is rendered here; a formula
// KaTeX cannot parse is shown in red with the parser's message, logged to the
// console, and counted, so the docs test can require zero errors.
(function () {
  "use strict";

  function strip(text) {
    var t = text.trim();
    var pairs = [["\\(", "\\)"], ["\\[", "\\]"], ["$$", "$$"]];
    for (var i = 0; i < pairs.length; i++) {
      var open = pairs[i][0], close = pairs[i][1];
      if (t.startsWith(open) && t.endsWith(close)) {
        return t.slice(open.length, t.length - close.length);
      }
    }
    return t;
  }

  function renderAll(root) {
    var rendered = 0, errors = 0;
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      if (el.dataset.nnrefMath) {
        return;
      }
      var display = el.tagName === "DIV";
      var tex = strip(el.textContent);
      try {
        katex.render(tex, el, { displayMode: display, throwOnError: true, strict: "error" });
        el.dataset.nnrefMath = "ok";
        rendered++;
      } catch (err) {
        el.dataset.nnrefMath = "error";
        el.classList.add("nnref-math-error");
        el.textContent = "math error: " + err.message + " in: " + tex;
        console.error("nnref math error: " + err.message);
        errors++;
      }
    });
    var body = document.body;
    body.dataset.mathRendered = String(Number(body.dataset.mathRendered || 0) + rendered);
    body.dataset.mathErrors = String(Number(body.dataset.mathErrors || 0) + errors);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(function (doc) {
      renderAll(doc.body || document.body);
    });
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      renderAll(document.body);
    });
  }
})();
