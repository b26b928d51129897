// linzi-kg network explorer. Every text from the data reaches the page
// through textContent or as canvas text, never as HTML.
(() => {
  "use strict";
  const DATA = JSON.parse(document.getElementById("kg-data").textContent);
  let lang = DATA.lang;
  const $ = (id) => document.getElementById(id);
  const byId = new Map(DATA.nodes.map((n) => [n.id, n]));
  const edgeById = new Map(DATA.edges.map((e) => [e.id, e]));
  const adjacency = new Map(DATA.nodes.map((n) => [n.id, []]));
  for (const e of DATA.edges) {
    adjacency.get(e.from).push({ edge: e.id, other: e.to });
    adjacency.get(e.to).push({ edge: e.id, other: e.from });
  }
  const hiddenGroups = new Set();
  const visible = new Set(DATA.large ? DATA.initial : DATA.nodes.map((n) => n.id));
  const expanded = new Map(); // node id -> neighbours already shown by expansion
  let selected = null;
  let pathNodes = new Set();
  let pathEdges = new Set();
  let pathStart = null;

  const el = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  };
  const t = (zh, en) => (lang === "zh" ? zh : en);
  // Served by `linzi-kg serve`: IRIs of the graph have pages, spans open the annotated
  // article; as a file (`linzi-kg viz`) there is nothing to link to.
  const served = location.protocol === "http:" || location.protocol === "https:";
  const ID_PREFIX = DATA.id_prefix;
  const spanEl = (s) => {
    const text = `[${s.start}, ${s.end}]`;
    if (!served) return el("div", text, "span");
    const link = el("a", text);
    link.href = `/article${s.doc ? "/" + encodeURIComponent(s.doc) : ""}?mark=${s.start}-${s.end}#mark`;
    link.target = "_top";
    const box = el("div", null, "span");
    box.append(link);
    return box;
  };
  const nodeLabel = (n) => (lang === "zh" ? n.label_zh : n.label_en);
  const edgeLabel = (e) => (lang === "zh" ? e.label_zh : e.label_en);

  function nodeStyle(n) {
    const faded = (selected && !neighbourhood.has(n.id)) || (pathNodes.size && !pathNodes.has(n.id) && !selected);
    const onPath = pathNodes.has(n.id);
    return {
      id: n.id,
      label: nodeLabel(n),
      title: el("div", lang === "zh" ? n.label_en : n.label_zh),
      shape: n.shape,
      value: n.size,
      color: faded
        ? { background: "#eeeeee", border: "#dddddd" }
        : { background: n.colour, border: onPath ? "#000000" : "#444444", highlight: { background: n.colour, border: "#000000" } },
      borderWidth: onPath ? 4 : 1,
      font: { color: faded ? "#bbbbbb" : "#222222", face: "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif" },
      ...(n.x === undefined ? {} : { x: n.x, y: n.y }),
    };
  }
  function edgeStyle(e) {
    const incident = selected && (e.from === selected || e.to === selected);
    const faded = (selected && !incident) || (pathEdges.size && !pathEdges.has(e.id) && !selected);
    return {
      id: e.id, from: e.from, to: e.to,
      label: $("edge-labels").checked ? edgeLabel(e) : undefined,
      title: el("div", lang === "zh" ? e.label_en : e.label_zh),
      dashes: e.editorial,
      width: pathEdges.has(e.id) ? 4 : 1,
      color: { color: faded ? "#eeeeee" : e.editorial ? "#d08c3a" : "#888888" },
      font: { size: 10, color: faded ? "#dddddd" : "#555555", strokeWidth: 2, align: "middle" },
      arrows: "to",
    };
  }

  let neighbourhood = new Set();
  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  const shown = (id) => visible.has(id) && !hiddenGroups.has(byId.get(id).group);

  function sync() {
    const wantNodes = DATA.nodes.filter((n) => shown(n.id));
    const wantIds = new Set(wantNodes.map((n) => n.id));
    nodes.remove(nodes.getIds().filter((id) => !wantIds.has(id)));
    nodes.update(wantNodes.map(nodeStyle));
    const wantEdges = DATA.edges.filter((e) => wantIds.has(e.from) && wantIds.has(e.to));
    const wantEdgeIds = new Set(wantEdges.map((e) => e.id));
    edges.remove(edges.getIds().filter((id) => !wantEdgeIds.has(id)));
    edges.update(wantEdges.map(edgeStyle));
    $("status").textContent = t(`显示 ${nodes.length} / ${DATA.nodes.length} 个节点，${edges.length} 条关系`,
      `showing ${nodes.length} of ${DATA.nodes.length} nodes, ${edges.length} links`);
  }

  // The data sets are filled before the network exists, so that vis-network
  // lays them out in its bounded stabilization run (data added later would
  // start an unbounded simulation instead).
  applyLanguage();
  const container = $("network");
  const bigLayout = DATA.nodes.length > 150;
  const network = new vis.Network(container, { nodes, edges }, {
    layout: { randomSeed: 7, improvedLayout: !bigLayout },
    edges: { smooth: false },
    nodes: { scaling: { min: 8, max: 40, label: { enabled: true, min: 12, max: 22 } } },
    physics: {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 110, avoidOverlap: 0.5 },
      stabilization: { enabled: true, iterations: DATA.iterations, updateInterval: 50, fit: true },
    },
    interaction: { hover: true, tooltipDelay: 250, multiselect: false },
  });
  window.kgExplorer = { network, nodes, edges, settled: false, data: DATA, hiddenGroups };

  // Physics lays the graph out once, bounded, then stops for good.
  network.once("stabilizationIterationsDone", () => {
    network.setOptions({ physics: { enabled: false } });
    window.kgExplorer.settled = true;
    document.body.dataset.settled = "true";
  });
  // PNG export draws on a white background, not a transparent one.
  network.on("beforeDrawing", (ctx) => {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });

  function select(id) {
    selected = id;
    neighbourhood = new Set([id, ...adjacency.get(id).map((a) => a.other)]);
    sync();
    showDetails(id);
  }
  function clearSelection() {
    selected = null;
    neighbourhood = new Set();
    sync();
  }
  network.on("click", (params) => {
    if (params.nodes.length) select(params.nodes[0]);
    else if (!params.edges.length) clearSelection();
  });
  network.on("doubleClick", (params) => {
    if (params.nodes.length) expand(params.nodes[0]);
  });

  function expand(id) {
    const done = expanded.get(id) || new Set();
    const hidden = adjacency.get(id).map((a) => a.other).filter((o) => !visible.has(o) && !done.has(o));
    const unique = [...new Set(hidden)].sort((a, b) => byId.get(b).degree - byId.get(a).degree);
    const batch = unique.slice(0, DATA.cap);
    const origin = network.getPositions([id])[id] || { x: 0, y: 0 };
    batch.forEach((o, i) => {
      const angle = (2 * Math.PI * i) / Math.max(batch.length, 1);
      byId.get(o).x = origin.x + 120 * Math.cos(angle);
      byId.get(o).y = origin.y + 120 * Math.sin(angle);
      visible.add(o);
      done.add(o);
    });
    expanded.set(id, done);
    sync();
    const left = unique.length - batch.length;
    $("pathbar").textContent = batch.length
      ? t(`展开 ${batch.length} 个邻居` + (left ? `，还有 ${left} 个（再次双击）` : ""),
          `expanded ${batch.length} neighbours` + (left ? `, ${left} more (double-click again)` : ""))
      : t("没有更多邻居", "no more neighbours");
  }
  function reveal(id) {
    if (!visible.has(id)) {
      visible.add(id);
      sync();
    }
    hiddenGroups.delete(byId.get(id).group);
    renderLegend();
    sync();
  }

  // -- details panel --------------------------------------------------------
  function showDetails(id) {
    const n = byId.get(id);
    const d = DATA.details[id] || { classes: [], facts: [], figures: [], spans: [] };
    const panel = $("details");
    panel.replaceChildren();
    panel.append(el("h2", nodeLabel(n)), el("div", lang === "zh" ? n.label_en : n.label_zh, "sub"));
    panel.append(el("div", `${t(n.group_zh, n.group_en)} · ${d.classes.join(", ")}`, "sub"));
    const iri = el("div", id, "span");
    panel.append(iri);
    if (served && id.startsWith(ID_PREFIX)) {
      const page = el("a", t("打开实体页", "Open the entity page"));
      page.href = "/id/" + id.slice(ID_PREFIX.length);
      page.target = "_top";
      page.id = "entity-page";
      const line = el("div");
      line.append(page);
      panel.append(line);
    }
    const buttons = el("div");
    const start = el("button", t("设为路径起点", "Path from here"));
    start.type = "button";
    start.id = "path-start";
    start.addEventListener("click", () => { pathStart = id; $("pathbar").textContent = t(`路径起点：${nodeLabel(n)}，再选一个节点设为终点`, `path from ${nodeLabel(n)}; pick another node as the end`); });
    const end = el("button", t("设为路径终点", "Path to here"));
    end.type = "button";
    end.id = "path-end";
    end.addEventListener("click", () => { if (pathStart) showPath(pathStart, id); });
    buttons.append(start, end);
    panel.append(buttons);
    if (d.facts.length) {
      panel.append(el("h3", t("属性", "Facts")));
      const table = el("table");
      for (const f of d.facts) {
        const row = el("tr");
        row.append(el("th", lang === "zh" ? f.p_zh : f.p_en), el("td", f.value));
        table.append(row);
      }
      panel.append(table);
    }
    if (d.figures.length) {
      panel.append(el("h3", t("数据（2022年实际 / 2023年目标）", "Figures (2022 actual / 2023 target)")));
      const table = el("table");
      table.id = "figures";
      const head = el("tr");
      for (const h of [t("指标", "Indicator"), t("2022年实际", "2022 actual"), t("2023年目标", "2023 target"), t("规模", "Specification")]) head.append(el("th", h));
      table.append(head);
      const byIndicator = new Map();
      for (const f of d.figures) {
        if (!byIndicator.has(f.indicator)) byIndicator.set(f.indicator, []);
        byIndicator.get(f.indicator).push(f);
      }
      for (const figs of byIndicator.values()) {
        const row = el("tr");
        row.append(el("td", lang === "zh" ? figs[0].indicator_zh : figs[0].indicator_en));
        for (const status of ["actual", "target", "specification"]) {
          const cell = el("td");
          for (const f of figs.filter((x) => x.status === status)) {
            cell.append(el("div", `${f.wording} (${f.value} ${lang === "zh" ? f.unit_zh : f.unit_en})`));
            for (const s of f.spans) cell.append(spanEl(s));
          }
          row.append(cell);
        }
        table.append(row);
      }
      panel.append(table);
    }
    const relations = adjacency.get(id).map((a) => edgeById.get(a.edge));
    if (relations.length) {
      panel.append(el("h3", t("关系", "Links")));
      const list = el("ul");
      for (const e of relations) {
        const other = byId.get(e.from === id ? e.to : e.from);
        const item = el("li");
        const text = e.from === id ? `→ ${edgeLabel(e)} → ${nodeLabel(other)}` : `← ${edgeLabel(e)} ← ${nodeLabel(other)}`;
        const link = el("a", text, e.editorial ? "editorial" : "");
        link.href = "#";
        link.addEventListener("click", (ev) => { ev.preventDefault(); reveal(other.id); focusNode(other.id); });
        item.append(link);
        if (e.editorial) item.append(el("span", t("（编辑归类）", " (editorial)"), "editorial"));
        list.append(item);
      }
      panel.append(list);
    }
    if (d.spans.length) {
      panel.append(el("h3", t("原文出处", "Where the article says so")));
      for (const s of d.spans) {
        panel.append(spanEl(s));
        if (s.text !== undefined) panel.append(el("blockquote", s.text));
      }
    }
  }

  function focusNode(id) {
    reveal(id);
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    select(id);
  }

  // -- shortest path (breadth-first over every link, shown or not) -----------
  // Editorial links are left out unless the switch is on, and of several
  // shortest paths the one whose nodes come first in IRI order is taken, step
  // by step from the start: the same rule as `linzi-kg path`.
  let lastPath = null;
  function showPath(a, b) {
    lastPath = [a, b];
    const withEditorial = $("path-editorial").checked;
    const usable = (edge) => withEditorial || !edgeById.get(edge).editorial;
    const distance = new Map([[b, 0]]);
    const queue = [b];
    while (queue.length && !distance.has(a)) {
      const cur = queue.shift();
      for (const { edge, other } of adjacency.get(cur)) {
        if (usable(edge) && !distance.has(other)) { distance.set(other, distance.get(cur) + 1); queue.push(other); }
      }
    }
    if (!distance.has(a)) {
      pathNodes = new Set(); pathEdges = new Set(); sync();
      $("pathbar").textContent = t("两点之间没有路径", "no path between the two nodes");
      return;
    }
    pathNodes = new Set([a]);
    pathEdges = new Set();
    const names = [nodeLabel(byId.get(a))];
    for (let cur = a; cur !== b;) {
      const want = distance.get(cur) - 1;
      let next = null;
      for (const { edge, other } of adjacency.get(cur)) {
        if (usable(edge) && distance.get(other) === want && (next === null || other < next)) next = other;
      }
      // The link between the two: one stated in the walking direction first, then by predicate IRI.
      let best = null;
      for (const { edge, other } of adjacency.get(cur)) {
        if (other !== next || !usable(edge)) continue;
        const e = edgeById.get(edge);
        const key = [e.from === cur ? 0 : 1, e.predicate];
        if (best === null || key[0] < best.key[0] || (key[0] === best.key[0] && key[1] < best.key[1])) best = { edge, key };
      }
      const e = edgeById.get(best.edge);
      names.push(e.from === cur ? `-[${edgeLabel(e)}]-> ${nodeLabel(byId.get(next))}` : `<-[${edgeLabel(e)}]- ${nodeLabel(byId.get(next))}`);
      pathNodes.add(next);
      pathEdges.add(best.edge);
      cur = next;
    }
    for (const id of pathNodes) visible.add(id);
    selected = null;
    neighbourhood = new Set();
    sync();
    $("pathbar").textContent = t("路径：", "Path: ") + names.join(" ");
    network.fit({ nodes: [...pathNodes], animation: false });
  }
  $("path-editorial").addEventListener("change", () => { if (lastPath) showPath(...lastPath); });
  $("path-clear").addEventListener("click", () => {
    pathNodes = new Set(); pathEdges = new Set(); pathStart = null; lastPath = null; $("pathbar").textContent = ""; sync();
  });

  // -- legend and class filter -------------------------------------------
  function renderLegend() {
    const legend = $("legend");
    legend.replaceChildren(el("h2", t("类别（可筛选）", "Classes (filter)")));
    for (const g of DATA.groups) {
      const label = el("label");
      const box = el("input");
      box.type = "checkbox";
      box.checked = !hiddenGroups.has(g.key);
      box.dataset.group = g.key;
      box.addEventListener("change", () => {
        if (box.checked) hiddenGroups.delete(g.key); else hiddenGroups.add(g.key);
        sync();
      });
      const swatch = el("span", null, "swatch");
      swatch.style.background = g.colour;
      if (g.shape === "diamond" || g.shape === "triangle") swatch.style.transform = "rotate(45deg) scale(0.8)";
      if (g.shape === "dot") swatch.style.borderRadius = "50%";
      label.append(box, swatch, el("span", t(g.zh, g.en)), el("span", g.count, "count"));
      legend.append(label);
    }
    const note = el("p", t("虚线：编辑归类，非原文所述", "Dashed: editorial classification, not stated by the article"), "sub");
    legend.append(note);
  }

  // -- search ---------------------------------------------------------------
  const results = $("results");
  // The documents' sentences, for a phrase that is in the text rather than in a name.
  const passages = (DATA.passages || []).map((p) => ({ ...p, folded: p.text.toLowerCase() }));
  function showPassage(p, at, length) {
    const stated = p.nodes.filter((id) => byId.has(id));
    for (const id of stated) { visible.add(id); hiddenGroups.delete(byId.get(id).group); }
    selected = null;
    neighbourhood = new Set();
    pathNodes = new Set(stated);
    pathEdges = new Set();
    renderLegend();
    sync();
    if (stated.length) network.fit({ nodes: stated, animation: false });
    const panel = $("details");
    panel.replaceChildren();
    panel.append(el("h2", t("原文", "In the text")));
    const quote = el("blockquote");
    quote.lang = "zh-Hans";
    quote.append(document.createTextNode(p.text.slice(0, at)), el("mark", p.text.slice(at, at + length)), document.createTextNode(p.text.slice(at + length)));
    panel.append(quote);
    panel.append(spanEl({ start: p.start, end: p.end, doc: p.doc }));
    panel.append(el("h3", t(`此处陈述（${stated.length}）`, `Stated here (${stated.length})`)));
    const list = el("ul");
    list.id = "passage-nodes";
    for (const id of stated) {
      const item = el("li");
      const link = el("a", nodeLabel(byId.get(id)));
      link.href = "#";
      link.addEventListener("click", (ev) => { ev.preventDefault(); focusNode(id); });
      item.append(link);
      list.append(item);
    }
    panel.append(list);
    $("pathbar").textContent = t(`原文中的一句，陈述 ${stated.length} 个节点`, `a sentence of the text stating ${stated.length} nodes`);
  }
  function search(text) {
    const q = text.trim().toLowerCase();
    results.replaceChildren();
    if (!q) { results.hidden = true; return; }
    // Exact matches first, then names that start with the text, then shorter names.
    const rank = (n) => {
      const names = [n.label_zh.toLowerCase(), n.label_en.toLowerCase()];
      const kind = names.includes(q) ? 0 : names.some((s) => s.startsWith(q)) ? 1 : 2;
      return [kind, n.label_zh.length, n.label_zh];
    };
    const before = (x, y) => x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0);
    const hits = DATA.nodes
      .filter((n) => n.label_zh.toLowerCase().includes(q) || n.label_en.toLowerCase().includes(q))
      .map((n) => ({ n, key: rank(n) }))
      .sort((x, y) => before(x.key, y.key))
      .slice(0, 20)
      .map((h) => h.n);
    for (const n of hits) {
      const b = el("button", `${nodeLabel(n)} · ${t(n.group_zh, n.group_en)}`);
      b.type = "button";
      b.addEventListener("click", () => { results.hidden = true; focusNode(n.id); });
      results.append(b);
    }
    // Then the sentences that contain the text, with the nodes stated there.
    const found = passages.filter((p) => p.folded.includes(q)).slice(0, 10);
    for (const p of found) {
      const at = p.folded.indexOf(q);
      const from = Math.max(0, at - 12);
      const snippet = (from ? "…" : "") + p.text.slice(from, at + q.length + 16) + (at + q.length + 16 < p.text.length ? "…" : "");
      const b = el("button", `${t("原文", "Text")}：${snippet} · ${p.nodes.length}`, "passage");
      b.type = "button";
      b.lang = "zh-Hans";
      b.addEventListener("click", () => { results.hidden = true; showPassage(p, at, q.length); });
      results.append(b);
    }
    if (!hits.length && !found.length) results.append(el("div", t("没有匹配", "no match")));
    results.hidden = false;
  }
  $("search").addEventListener("input", (ev) => search(ev.target.value));
  $("search").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { const first = results.querySelector("button"); if (first) first.click(); }
    if (ev.key === "Escape") { results.hidden = true; }
  });

  // -- toolbar ----------------------------------------------------------------
  function applyLanguage() {
    document.documentElement.lang = lang === "zh" ? "zh-Hans" : "en";
    for (const node of document.querySelectorAll("[data-label-zh]")) node.setAttribute("aria-label", lang === "zh" ? node.dataset.labelZh : node.dataset.labelEn);
    $("lang").textContent = lang === "zh" ? "English" : "中文";
    $("lang").lang = lang === "zh" ? "en" : "zh-Hans";
    $("search").placeholder = t("搜索名称或原文", "Search names and the text");
    $("title").textContent = lang === "zh" ? DATA.title_zh : DATA.title_en;
    for (const node of document.querySelectorAll("[data-zh]")) node.textContent = lang === "zh" ? node.dataset.zh : node.dataset.en;
    renderLegend();
    sync();
    if (selected) showDetails(selected);
  }
  $("lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    // Served, the choice is the explorer's too (its pages read the same cookie).
    if (served) document.cookie = `lang=${lang}; path=/; max-age=31536000; samesite=lax`;
    applyLanguage();
  });
  $("edge-labels").addEventListener("change", sync);
  $("fit").addEventListener("click", () => network.fit({ animation: false }));
  // Pictures to publish (picture.js): the current filtered view, laid out afresh.
  const picture = (save) => async () => {
    $("status").textContent = t("正在绘制图片…", "drawing the picture…");
    try { await save({ relationNames: $("edge-labels").checked }); } finally { sync(); }
  };
  $("png").addEventListener("click", picture((o) => window.kgPicture.savePng(o)));
  $("svg").addEventListener("click", picture((o) => window.kgPicture.saveSvg(o)));

  if (DATA.focus) focusNode(DATA.focus);
})();
