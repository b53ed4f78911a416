// The report's behaviour: sortable and filterable tables, the chart, fact links.
// Plain JavaScript with no library, inlined into the page (see pipeline/report/html.py):
// the tables are rendered in HTML, so the page reads the same without it.
"use strict";
(function () {
  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));

  // ---- tables: click a header to sort; data-sort on a cell overrides its text ----
  function sortKey(row, index, numeric) {
    const cell = row.cells[index];
    const raw = cell ? (cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent) : "";
    if (!numeric) return raw.trim().toLowerCase();
    const number = parseFloat(raw);
    return Number.isNaN(number) ? -Infinity : number;
  }

  function sortBy(table, th) {
    const index = Array.from(th.parentNode.children).indexOf(th);
    const numeric = th.dataset.type === "num";
    const ascending = th.getAttribute("aria-sort") !== "ascending";
    $$("th", table).forEach((other) => other.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const body = table.tBodies[0];
    const rows = Array.from(body.rows).map((row, order) => [sortKey(row, index, numeric), order, row]);
    rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]) * (ascending ? 1 : -1));
    rows.forEach((item) => body.appendChild(item[2]));
  }

  $$("table.grid").forEach((table) => {
    $$("thead th", table).forEach((th) => th.addEventListener("click", () => sortBy(table, th)));
  });

  // ---- filters: one bar for every table that has data-filtered ----
  const form = $("form.filters");
  const searchText = new WeakMap();

  function dateSpan(date) { // "2023-11" spans 2023-11-01 .. 2023-11-31 (as text)
    return [(date + "-01-01").slice(0, 10), (date + "-12-31").slice(0, 10)];
  }

  function matches(row, f) {
    const d = row.dataset;
    if (f.region && d.region !== f.region) return false;
    if (f.province && d.province !== f.province) return false;
    if (f.metric && d.metric !== f.metric) return false;
    if (f.target && d.target !== f.target) return false;
    if (f.latest && d.latest !== undefined && d.latest !== "1") return false;
    if (f.warning) {
      const codes = (d.warn || "").split(" ").filter(Boolean);
      if (f.warning === "none" ? codes.length : f.warning === "any" ? !codes.length
          : !codes.includes(f.warning)) return false;
    }
    if (f.from || f.to) {
      if (!d.when) return false;
      const [start, end] = dateSpan(d.when);
      if (f.from && end < f.from) return false;
      if (f.to && start > f.to) return false;
    }
    if (f.search) {
      if (!searchText.has(row)) searchText.set(row, row.textContent.toLowerCase());
      if (!searchText.get(row).includes(f.search)) return false;
    }
    return true;
  }

  function applyFilters() {
    const data = new FormData(form);
    const f = {};
    for (const [key, value] of data.entries()) f[key] = String(value);
    f.search = (f.search || "").trim().toLowerCase();
    $$("table[data-filtered]").forEach((table) => {
      let shown = 0;
      const rows = Array.from(table.tBodies[0].rows);
      rows.forEach((row) => {
        const keep = matches(row, f);
        row.hidden = !keep;
        shown += keep;
      });
      const count = $(`.count[data-for="${table.id}"]`);
      if (count) count.textContent = `${shown.toLocaleString("en")} of ${rows.length.toLocaleString("en")} rows shown`;
    });
    if (f.region && picker && chartRegions.has(f.region)) {
      picker.value = f.region;
      drawChart();
    }
  }

  if (form) {
    form.addEventListener("input", applyFilters);
    form.addEventListener("change", applyFilters);
    form.addEventListener("reset", () => setTimeout(applyFilters, 0));
    form.addEventListener("submit", (event) => event.preventDefault());
  }

  // ---- the chart: coverage and activity of one region over time, targets as lines ----
  const dataNode = $("#chart-data");
  const data = dataNode ? JSON.parse(dataNode.textContent) : { regions: [], obs: [] };
  const picker = $("#chart-region");
  const chartRegions = new Map(data.regions.map((region, index) => [region[0], index]));
  const COLOURS = { coverage: "#1f6feb", activity: "#d9480f" };
  const W = 1000, H = 280, M = { top: 16, right: 190, bottom: 34, left: 48 };

  function time(date) {
    const [y, m, d] = (date + "-01-01").split("-").map(Number);
    return Date.UTC(y, m - 1, d);
  }

  function esc(text) {
    return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
  }

  function pointTitle(o) {
    const when = o.w ? (o.p ? `published ${o.w} (undated figure)` : o.w) : "no date";
    const flag = o.c ? " · conflicting values" : "";
    return `${o.m} ${o.v}% · ${when} · ${o.n} mention${o.n === 1 ? "" : "s"}${flag}`;
  }

  function drawChart() {
    const box = $("#chart-svg");
    if (!box || !picker) return;
    const region = chartRegions.get(picker.value);
    const mine = data.obs.filter((o) => o.r === region && COLOURS[o.m]);
    const measured = mine.filter((o) => !o.t);
    const targets = mine.filter((o) => o.t);
    const dated = measured.filter((o) => o.w);
    const undated = measured.filter((o) => !o.w);
    const times = dated.map((o) => time(o.w));
    let lo = Math.min(...times), hi = Math.max(...times);
    if (!times.length) { lo = Date.UTC(2020, 0, 1); hi = Date.UTC(2025, 0, 1); }
    if (hi - lo < 864e5 * 60) { lo -= 864e5 * 45; hi += 864e5 * 45; }
    const values = mine.map((o) => o.v);
    const top = Math.max(100, Math.ceil(Math.max(0, ...values) / 10) * 10);
    const band = undated.length ? 70 : 0; // a column at the right for undated figures
    const plotW = W - M.left - M.right - band;
    const x = (t) => M.left + ((t - lo) / (hi - lo)) * plotW;
    const y = (v) => M.top + (1 - v / top) * (H - M.top - M.bottom);
    const parts = [];
    parts.push('<g class="grid axis">');
    for (let v = 0; v <= top; v += 20) {
      parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v)}" y2="${y(v)}"></line>`,
        `<text x="${M.left - 6}" y="${y(v) + 4}" text-anchor="end">${v}%</text>`);
    }
    // ticks on month starts, at most eight; years only when they are a year apart
    const first = new Date(lo), months = [];
    for (let m = first.getUTCFullYear() * 12 + first.getUTCMonth() + 1; Date.UTC(Math.floor(m / 12), m % 12, 1) <= hi; m++) months.push(m);
    const step = Math.max(1, Math.ceil(months.length / 8));
    const yearly = step >= 12;
    months.filter((m) => (yearly ? m % 12 === 0 : (m - months[0]) % step === 0)).forEach((m) => {
      const t = Date.UTC(Math.floor(m / 12), m % 12, 1);
      const label = new Date(t).toISOString().slice(0, yearly ? 4 : 7);
      parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${M.top}" y2="${H - M.bottom}"></line>`,
        `<text x="${x(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${label}</text>`);
    });
    parts.push("</g>");
    if (band) {
      const bx = M.left + plotW + 10;
      parts.push(`<rect class="undated-band" x="${bx}" y="${M.top}" width="${band - 10}" height="${H - M.top - M.bottom}"></rect>`,
        `<text class="label" x="${bx + (band - 10) / 2}" y="${H - M.bottom + 16}" text-anchor="middle">no date</text>`);
    }
    targets.forEach((o) => {
      const colour = COLOURS[o.m];
      parts.push(`<line class="target" data-metric="${o.m}" x1="${M.left}" x2="${W - M.right}" y1="${y(o.v)}" y2="${y(o.v)}" stroke="${colour}"><title>${esc(`${o.m} target ${o.v}%${o.w ? " (" + o.w + ")" : ""}`)}</title></line>`,
        `<text class="label" x="${W - M.right + 4}" y="${y(o.v) + 4}">${esc(`${o.m} target ${o.v}%${o.w ? " " + o.w : ""}`)}</text>`);
    });
    Object.keys(COLOURS).forEach((metric, k) => {
      const colour = COLOURS[metric];
      const series = dated.filter((o) => o.m === metric).sort((a, b) => time(a.w) - time(b.w));
      const loose = undated.filter((o) => o.m === metric);
      const count = series.length + loose.length;
      parts.push(`<g class="series" data-metric="${metric}" data-count="${count}">`);
      if (series.length > 1) {
        const d = series.map((o, i) => `${i ? "L" : "M"}${x(time(o.w)).toFixed(1)},${y(o.v).toFixed(1)}`).join("");
        parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"></path>`);
      }
      const dot = (o, cx) => `<circle class="point${o.c ? " conflict" : ""}" cx="${cx.toFixed(1)}" cy="${y(o.v).toFixed(1)}" r="${o.c ? 6 : 5}" fill="${o.p ? "#fff" : colour}" stroke="${o.c ? "#b91c1c" : colour}" stroke-width="2"><title>${esc(pointTitle(o))}</title></circle>`;
      series.forEach((o) => parts.push(dot(o, x(time(o.w)))));
      loose.forEach((o, i) => parts.push(dot(o, M.left + plotW + 10 + (band - 10) / 2 + (i % 3 - 1) * 12)));
      parts.push("</g>");
      const ly = M.top + 14 + k * 18;
      parts.push(`<g class="legend"><rect x="${W - M.right + 4}" y="${ly + 60}" width="12" height="12" fill="${colour}"></rect>`,
        `<text x="${W - M.right + 22}" y="${ly + 70}">${metric} (${count})</text></g>`);
    });
    const name = data.regions[region] ? data.regions[region][1] : "";
    box.innerHTML = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(name)}: coverage and activity over time">${parts.join("")}</svg>`;
    const note = $("#chart-note");
    if (note) note.textContent = measured.length ? "" : "No measured coverage or activity figure for this region.";
  }

  if (picker) {
    picker.addEventListener("change", drawChart);
    drawChart();
  }

  // ---- fact links: flash the sentence they lead to ----
  // The target is the sentence's span, or an empty anchor inside it where two sentences
  // were merged into one span (see pipeline/report/article.py): flash the sentence either way.
  function flash() {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id && document.getElementById(id);
    const sentence = target && target.closest(".sent");
    if (!sentence) return;
    $$(".sent.flash").forEach((node) => node.classList.remove("flash"));
    sentence.classList.add("flash");
  }
  window.addEventListener("hashchange", flash);
  flash();
})();
