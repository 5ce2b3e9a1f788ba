// The Lakeshift console: reads /api/overview and /api/history every few seconds and redraws.
// Plain DOM, no framework and no build step; every value is set as text, never as HTML.
"use strict";

const REFRESH_MS = 2000;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const dash = "–";
const count = v => (v === null || v === undefined ? dash : Number(v).toLocaleString("en-US"));
const ms = v => (v === null || v === undefined ? dash : Number(v).toLocaleString("en-US") + " ms");
const rate = v => (v === null || v === undefined ? dash : Number(v).toLocaleString("en-US", { maximumFractionDigits: 1 }));
function bytes(n) {
  if (n === null || n === undefined) return dash;
  if (n < 1024) return n + " B";
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + " KiB";
  if (n < 1024 * 1024 * 1024) return (n / (1024 * 1024)).toFixed(1) + " MiB";
  return (n / (1024 * 1024 * 1024)).toFixed(2) + " GiB";
}
function age(seconds) {
  if (seconds === null || seconds === undefined) return dash;
  if (seconds < 120) return seconds + " s ago";
  if (seconds < 7200) return Math.round(seconds / 60) + " min ago";
  return Math.round(seconds / 3600) + " h ago";
}
function stateClass(state) {
  const s = String(state).toLowerCase();
  if (s.startsWith("fail") || s.startsWith("gone") || s.startsWith("retrying")) return "state-bad";
  if (s.startsWith("not running") || s.startsWith("stopped")) return "state-idle";
  return "state-ok";
}
// A cell with its raw value in data-value, so what is shown can be checked against the API.
function cell(field, raw, shown, cls) {
  return el("td", { "data-field": field, "data-value": raw === null || raw === undefined ? "" : String(raw), class: cls }, shown);
}

function renderSources(sources) {
  const body = document.querySelector("#sources tbody");
  body.replaceChildren(...sources.map(s => el("tr", { "data-name": s.name },
    cell("name", s.name, s.name),
    cell("kind", s.kind, s.kind),
    cell("state", s.state, s.state + (s.state === "snapshotting" && s.snapshotProgress !== null
      ? " " + Math.floor(s.snapshotProgress * 100) + "%" : ""), stateClass(s.state)),
    cell("snapshotRows", s.snapshotRows, count(s.snapshotRows) + (s.snapshotProgress === null ? ""
      : " (" + Math.floor(s.snapshotProgress * 100) + "%)"), "num"),
    cell("events", s.events, count(s.events), "num"),
    cell("eventsPerSecond", s.eventsPerSecond, rate(s.eventsPerSecond), "num"),
    cell("lagBytes", s.lagBytes, bytes(s.lagBytes), "num"),
    cell("behindSeconds", s.behindSeconds, s.behindSeconds === null ? dash : s.behindSeconds.toFixed(1) + " s", "num"),
    cell("deadLetters", s.deadLetters, count(s.deadLetters), "num"),
    cell("lastError", s.lastError, s.lastError || "", "error"))));
}

function renderPipelines(pipelines) {
  const body = document.querySelector("#pipelines tbody");
  body.replaceChildren(...pipelines.map(p => el("tr", { "data-name": p.name },
    cell("name", p.name, p.name),
    cell("target", p.target, p.target),
    cell("stage", p.stage, p.stage),
    cell("state", p.state, p.state, stateClass(p.state)),
    cell("recordsIn", p.recordsIn, count(p.recordsIn), "num"),
    cell("applied", p.applied, count(p.applied), "num"),
    cell("deadLetters", p.deadLetters, count(p.deadLetters), "num"),
    cell("rowsPerSecond", p.rowsPerSecond, count(p.rowsPerSecond), "num"),
    cell("freshnessP50Ms", p.freshnessP50Ms, ms(p.freshnessP50Ms), "num"),
    cell("freshnessP99Ms", p.freshnessP99Ms, ms(p.freshnessP99Ms), "num"),
    cell("lastBatchMs", p.lastBatchMs, ms(p.lastBatchMs), "num"),
    cell("applyPath", p.applyPath, p.applyPath || dash),
    cell("lastError", p.lastError, p.lastError || "", "error"))));
}

function renderTables(tables, error) {
  showError("#tables-error", error);
  const body = document.querySelector("#tables tbody");
  body.replaceChildren(...tables.map(t => el("tr", { "data-name": t.name },
    cell("name", t.name, t.name),
    cell("dataFiles", t.dataFiles, count(t.dataFiles), "num"),
    cell("averageFileBytes", t.averageFileBytes, bytes(t.averageFileBytes), "num"),
    cell("deleteFiles", t.deleteFiles, count(t.deleteFiles), "num"),
    cell("snapshots", t.snapshots, count(t.snapshots), "num"),
    cell("rows", t.rows, count(t.rows), "num"),
    cell("lastCommitAgeSeconds", t.lastCommitAgeSeconds, age(t.lastCommitAgeSeconds), "num"),
    cell("warnings", t.warnings.join("; "), t.warnings.length ? t.warnings.join("; ") : "healthy",
      t.warnings.length ? "warn" : "state-ok"),
    cell("lastMaintenance", t.lastMaintenance, t.lastMaintenanceMs === null ? "never"
      : age(Math.round((Date.now() - t.lastMaintenanceMs) / 1000)) + ": " + t.lastMaintenance))));
}

function renderMigrations(migrations, error) {
  showError("#migrations-error", error);
  const box = document.querySelector("#migrations .migrations");
  if (!migrations.length) {
    box.replaceChildren(el("p", { class: "muted" }, "No pipeline has a migration playbook (lakeshift migrate init PIPELINE)."));
    return;
  }
  // an audit log someone opened stays open across redraws
  const open = new Set(Array.from(box.querySelectorAll(".migration details[open]")).map(d => d.closest(".migration").dataset.name));
  box.replaceChildren(...migrations.map(m => el("div", { class: "migration", "data-name": m.pipeline },
    el("h3", {}, m.pipeline),
    el("div", {}, "stage ", el("strong", { "data-field": "stage" }, m.stage), " since ",
      el("span", { "data-field": "since", "data-value": m.sinceMs }, new Date(m.sinceMs).toISOString()),
      m.next ? el("span", {}, " · next: ", el("strong", { "data-field": "next" }, m.next)) : " · the last stage"),
    el("div", {}, "job: ", el("span", { "data-field": "job" }, m.job)),
    el("div", {}, "last reconciliation: ", el("span", { "data-field": "lastReconciliation" }, m.lastReconciliation || "none")),
    m.gates.length ? el("ul", { class: "gates" }, ...m.gates.map(g => el("li",
      { class: "gate " + (g.passed ? "pass" : "fail"), "data-gate": g.gate, "data-passed": String(g.passed) },
      el("span", {}, g.gate), ": ", el("span", { class: "evidence", "data-field": "evidence" }, g.evidence)))) : null,
    el("details", { open: open.has(m.pipeline) ? "" : null }, el("summary", {}, "audit log (" + m.audit.length + ")"),
      el("table", { class: "audit" },
        el("thead", {}, el("tr", {}, ...["when", "action", "from", "to", "outcome", "forced", "reason", "detail"].map(h => el("th", {}, h)))),
        el("tbody", {}, ...m.audit.map(a => el("tr", {},
          el("td", {}, new Date(a.atMs).toISOString()), el("td", {}, a.action), el("td", {}, a.from), el("td", {}, a.to),
          el("td", {}, a.outcome), el("td", {}, a.forced ? "yes" : "no"), el("td", {}, a.reason || ""),
          el("td", {}, a.detail || "")))))))));
}

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

// One chart per pipeline: freshness p50 and p99 over the last hour, throughput filled beneath.
function renderCharts(history) {
  const W = 360, H = 120, now = Date.now(), from = now - 3600 * 1000;
  const box = document.querySelector("#charts .charts");
  const series = Object.entries((history && history.pipelines) || {});
  if (!series.length) {
    box.replaceChildren(el("p", { class: "muted" }, "No pipeline has reported yet."));
    return;
  }
  box.replaceChildren(...series.map(([name, points]) => {
    const x = t => ((t - from) / (now - from)) * W;
    const maxLatency = Math.max(1000, ...points.map(p => p.p99Ms || 0));
    const maxRate = Math.max(1, ...points.map(p => p.perSecond || 0));
    const line = key => points.filter(p => p[key] !== null).map(p => x(p.atMs).toFixed(1) + "," + (H - (p[key] / maxLatency) * (H - 4)).toFixed(1)).join(" ");
    const rated = points.filter(p => p.perSecond !== null);
    const area = rated.length ? [x(rated[0].atMs).toFixed(1) + "," + H]
      .concat(rated.map(p => x(p.atMs).toFixed(1) + "," + (H - (p.perSecond / maxRate) * (H - 4)).toFixed(1)))
      .concat([x(rated[rated.length - 1].atMs).toFixed(1) + "," + H]).join(" ") : "";
    const chart = svg("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img" });
    chart.append(svg("polygon", { class: "rate", points: area }), svg("polyline", { class: "p99", points: line("p99Ms") }),
      svg("polyline", { class: "p50", points: line("p50Ms") }));
    const last = points[points.length - 1] || {};
    const withFreshness = points.filter(p => p.p50Ms !== null).length;
    return el("figure", { class: "chart", "data-pipeline": name, "data-points": points.length, "data-freshness-points": withFreshness,
      "data-last-at": last.atMs, "data-last-p50": last.p50Ms, "data-last-rate": last.perSecond },
      el("figcaption", {}, name, el("span", { class: "muted" },
        ` · p50 ${ms(last.p50Ms)} · p99 ${ms(last.p99Ms)} · ${rate(last.perSecond)} rows/s · scale ${(maxLatency / 1000).toFixed(1)} s, ${rate(maxRate)} rows/s`)),
      chart);
  }));
}

function showError(selector, message) {
  const node = document.querySelector(selector);
  node.hidden = !message;
  node.textContent = message || "";
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Error(path + ": HTTP " + response.status);
  return response.json();
}

async function refresh() {
  try {
    const [overview, history] = await Promise.all([getJson("api/overview"), getJson("api/history")]);
    renderSources(overview.sources);
    renderPipelines(overview.pipelines);
    renderTables(overview.tables, overview.tablesError);
    renderMigrations(overview.migrations, overview.migrationsError);
    renderCharts(history);
    const updated = document.getElementById("updated");
    updated.textContent = "updated " + new Date(overview.generatedAtMs).toLocaleTimeString();
    updated.dataset.generatedAt = overview.generatedAtMs;
    showError("#problem", null);
  } catch (e) {
    showError("#problem", "cannot reach the console: " + e.message + " (is lakeshift still running?)");
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
