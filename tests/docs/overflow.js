// Everything in the article wider than its column at the current window size: each display
// formula (or table) whose content is wider than its box, and each inline formula that sticks
// out of the article. Returns [[what, content width, column width, text], ...].
(() => {
  const article = document.querySelector("article");
  const column = article.getBoundingClientRect();
  const out = [];
  const text = (el) => el.textContent.replace(/\s+/g, " ").slice(0, 80);
  for (const box of article.querySelectorAll("div.arithmatex, .md-typeset__scrollwrap")) {
    if (box.scrollWidth > box.clientWidth + 1) {
      out.push([box.matches("div.arithmatex") ? "formula" : "table", box.scrollWidth, box.clientWidth, text(box)]);
    }
  }
  for (const el of article.querySelectorAll("span.arithmatex")) {
    const r = el.getBoundingClientRect();
    if (r.right > column.right + 1) out.push(["inline formula", Math.round(r.right - column.left), Math.round(column.width), text(el)]);
  }
  return out;
})()
