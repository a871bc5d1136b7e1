// Copies the front-end packages pinned in package.json into static/vendor.
// Run from the repository root: `npm ci && npm run vendor`. Runtime and CI use the
// committed copies only. Only the files the pages need are copied (no source maps, no
// SCSS, no demo HTML), and every URL that would load something from another host is
// rewritten to a local file or makes this script fail.
import fs from "node:fs";
import path from "node:path";

const root = process.cwd();
const nm = (...p) => path.join(root, "node_modules", ...p);
const out = (...p) => path.join(root, "static", "vendor", ...p);

function reset(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

function copy(src, dest, transform) {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  if (transform) {
    fs.writeFileSync(dest, transform(fs.readFileSync(src, "utf8")));
  } else {
    fs.copyFileSync(src, dest);
  }
}

function stripSourceMap(text) {
  return text.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
}

function assertNoRemoteLoads(file, text) {
  // url(http…) and @import of a remote stylesheet would fetch from another host.
  const remote = text.match(/url\(\s*['"]?https?:|@import\s+(url\()?\s*['"]?https?:/gi);
  if (remote) {
    throw new Error(`${file}: still loads from another host: ${remote.slice(0, 3).join(", ")}`);
  }
}

// --- KRDS (krds-uiux) --------------------------------------------------------------
const krds = nm("krds-uiux", "resources");
for (const sub of ["css", "img", "js", "fonts"]) reset(out("krds", sub));

// The bundled stylesheet (tokens + common + components) points its icons at the KRDS
// web site; they ship in the package, so point them at the local copies instead.
const cssSrc = path.join(krds, "cdn", "krds.min.css");
let css = fs.readFileSync(cssSrc, "utf8");
css = css.replaceAll("https://www.krds.go.kr/resources/img/component/icon/", "../img/icon/");
assertNoRemoteLoads("krds.min.css", css);
fs.writeFileSync(out("krds", "css", "krds.min.css"), css);

const icons = new Set([...css.matchAll(/\.\.\/img\/icon\/([\w.-]+\.svg)/g)].map((m) => m[1]));
for (const icon of icons) {
  copy(path.join(krds, "img", "component", "icon", icon), out("krds", "img", "icon", icon));
}

// Pretendard GOV (SIL OFL 1.1): the package ships the files but no @font-face rule.
const weights = { Regular: 400, Medium: 500, Bold: 700 };
let fontCss = "/* Pretendard GOV (SIL Open Font License 1.1, see OFL.txt), shipped with krds-uiux. */\n";
for (const [name, weight] of Object.entries(weights)) {
  const file = `PretendardGOV-${name}.subset.woff2`;
  copy(path.join(krds, "fonts", file), out("krds", "fonts", file));
  fontCss +=
    `@font-face{font-family:"Pretendard GOV";font-style:normal;font-weight:${weight};` +
    `font-display:swap;src:url(${file}) format("woff2")}\n`;
}
fs.writeFileSync(out("krds", "fonts", "pretendard-gov.css"), fontCss);

// Component behaviour (tabs, accordions, modals, drop menus). The minified bundle also
// carries Swiper, which we do not use, so take the plain script.
copy(path.join(krds, "js", "component", "ui-script.js"), out("krds", "js", "ui-script.js"));

// --- htmx ---------------------------------------------------------------------------
reset(out("htmx"));
copy(nm("htmx.org", "dist", "htmx.min.js"), out("htmx", "htmx.min.js"), stripSourceMap);
copy(nm("htmx.org", "LICENSE"), out("htmx", "LICENSE"));

// --- Chart.js -----------------------------------------------------------------------
reset(out("chartjs"));
copy(nm("chart.js", "dist", "chart.umd.min.js"), out("chartjs", "chart.umd.min.js"), stripSourceMap);
copy(nm("chart.js", "LICENSE.md"), out("chartjs", "LICENSE.md"));
copy(nm("@kurkle", "color", "LICENSE.md"), out("chartjs", "LICENSE-kurkle-color.md"));

const versions = ["krds-uiux", "htmx.org", "chart.js"].map(
  (name) => `${name} ${JSON.parse(fs.readFileSync(nm(name, "package.json"), "utf8")).version}`,
);
console.log(`vendored ${versions.join(", ")}; ${icons.size} KRDS icons`);
