// Parse every formula of the built site with the KaTeX the site serves (docs/node_modules).
// stdin: JSON [{page, tex, display}]; stdout: JSON [{page, tex, error}] for the ones that fail.
// The options are those of docs/assets/katex-init.js, so what passes here renders in the browser.
"use strict";
const path = require("path");
const katex = require(path.join(__dirname, "..", "node_modules", "katex", "dist", "katex.js"));

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const failures = [];
  for (const item of JSON.parse(input)) {
    try {
      katex.renderToString(item.tex, { displayMode: item.display, throwOnError: true, strict: "error" });
    } catch (err) {
      failures.push({ page: item.page, tex: item.tex, error: String(err.message) });
    }
  }
  process.stdout.write(JSON.stringify(failures));
});
