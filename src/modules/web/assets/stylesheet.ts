/** The pages' stylesheet, served as /assets/purepool.css: one column on a phone, two on a desk. */
export const PUREPOOL_CSS = `:root {
  --ink: #1b1f24; --muted: #5b6470; --line: #dde2e8; --bg: #f6f7f9; --card: #fff;
  --brand: #1d3557; --accent: #c98a00; --ok: #1f7a3d; --warn: #a15c00; --bad: #b42318;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); line-height: 1.45;
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--brand); }
header.top { background: var(--brand); color: #fff; padding: .6rem 1rem; display: flex;
  flex-wrap: wrap; gap: .4rem 1.2rem; align-items: center; }
header.top a { color: #fff; text-decoration: none; }
.brand { font-weight: 700; font-size: 1.15rem; margin-right: auto; }
.brand span { font-weight: 400; font-size: .85rem; opacity: .8; margin-left: .4rem; }
header nav { display: flex; flex-wrap: wrap; gap: .2rem .9rem; }
header nav a[aria-current] { border-bottom: 2px solid #f4c95d; }
.networks a { font-size: .85rem; opacity: .85; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem; }
footer { color: var(--muted); font-size: .8rem; text-align: center; padding: 1.5rem 1rem; }
h1 { font-size: 1.5rem; margin: .3rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .6rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem;
  margin-bottom: 1rem; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: .7rem;
  margin-bottom: 1rem; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .7rem .8rem; }
.tile .label { color: var(--muted); font-size: .8rem; }
.tile .value { font-size: clamp(1.05rem, 4.2vw, 1.25rem); font-weight: 600; overflow-wrap: anywhere; }
.grid2 { display: grid; grid-template-columns: 1fr; gap: 0 1.2rem; }
.grid2 > * { min-width: 0; }
@media (min-width: 860px) { .grid2 { grid-template-columns: 1fr 1fr; } }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; background: var(--card); font-size: .9rem; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: .8rem; white-space: nowrap; }
td.time { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em;
  overflow-wrap: anywhere; }
.chart { position: relative; height: 260px; }
.muted { color: var(--muted); }
.notice { border-left: 4px solid var(--accent); background: #fff8e6; padding: .7rem 1rem;
  border-radius: 4px; margin: 0 0 1rem; }
.notice.bad { border-color: var(--bad); background: #fdeceb; }
.status { display: inline-block; white-space: nowrap; padding: 0 .45rem; border-radius: 999px; font-size: .8rem;
  background: #eef1f5; }
.status-paid, .status-sent, .status-mature { background: #e3f4e8; color: var(--ok); }
.status-credited { background: #e6eefb; color: var(--brand); }
.status-pending, .status-intent { background: #fff4db; color: var(--warn); }
.status-orphaned, .status-failed { background: #fdeceb; color: var(--bad); }
.amount-credit { color: var(--ok); }
.amount-debit { color: var(--bad); }
form.search { display: flex; flex-wrap: wrap; gap: .5rem; }
form.search input { flex: 1 1 18rem; min-width: 0; padding: .6rem .7rem; font-size: 1rem;
  border: 1px solid var(--line); border-radius: 6px; font-family: ui-monospace, monospace; }
form.search button { padding: .6rem 1.1rem; font-size: 1rem; border: 0; border-radius: 6px;
  background: var(--brand); color: #fff; cursor: pointer; }
pre.config { background: #0f1720; color: #e6edf3; padding: .9rem 1rem; border-radius: 6px;
  overflow-x: auto; font-size: .9rem; }
`;
