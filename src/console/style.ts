// The console's one stylesheet, served as /console/style.css with a long cache (its URL carries a hash
// of its text, so a change is fetched at once). Plain CSS: no CDN, no build step. Colours keep a
// contrast of at least 4.5:1 against their background (WCAG AA).
import { hash64 } from "../lib/hash";

export const STYLE = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #4a5360; --line: #c9d1d9; --accent: #0b57d0;
  --ok: #116329; --bad: #a40e26; --warn: #7a4d00; --bg: #ffffff; --panel: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible
  { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -10000px; top: 0; background: var(--bg); padding: .5rem 1rem; }
.skip:focus { left: 1rem; }
header { background: var(--panel); border-bottom: 1px solid var(--line); }
header nav { max-width: 72rem; margin: 0 auto; padding: .5rem 1rem; display: flex; flex-wrap: wrap;
  gap: .25rem 1rem; align-items: center; }
header nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
header nav a[aria-current="page"] { font-weight: 700; text-decoration: none; color: var(--ink); }
header nav form { margin-left: auto; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; vertical-align: top; padding: .4rem .5rem; border-bottom: 1px solid var(--line); }
th { background: var(--panel); }
td form { margin: 0; }
button { font: inherit; padding: .3rem .8rem; border: 1px solid var(--accent); border-radius: 4px;
  background: var(--accent); color: #fff; cursor: pointer; }
label { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
input[type="password"], input[type="text"] { font: inherit; padding: .4rem; width: min(100%, 28rem);
  border: 1px solid var(--muted); border-radius: 4px; }
.flash { padding: .5rem 1rem; border-radius: 4px; margin: 0 0 1rem; border: 1px solid; }
.flash.ok { color: var(--ok); border-color: var(--ok); background: #eef8f0; }
.flash.bad { color: var(--bad); border-color: var(--bad); background: #fdf0f2; }
.status-ok { color: var(--ok); font-weight: 600; }
.status-bad { color: var(--bad); font-weight: 600; }
.status-warn { color: var(--warn); font-weight: 600; }
.muted { color: var(--muted); }
.agenda { border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1.5rem 1rem; background: var(--bg); }
.agenda ul { padding-left: 1.5rem; }
.agenda li.todo { list-style: none; margin-left: -1.5rem; }
.agenda .done { text-decoration: line-through; color: var(--muted); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .95em; }
`;

/** The stylesheet's URL: its hash in the query, so it can be cached for a year. */
export const STYLE_HREF = `/console/style.css?v=${hash64(STYLE)}`;
