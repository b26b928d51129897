// linzi-kg network view as a picture to publish: the current filtered view,
// laid out afresh (the nodes shown, without the holes the filters left), drawn
// as SVG with a title, a legend and a source line, and as PNG at print
// resolution (A4 landscape at 300 dpi, the resolution written into the file).
// `linzi-kg viz --svg/--png` call the same functions in headless Chromium, so
// the command line and the button give the same picture.
// Every text from the data is escaped into the SVG; nothing is fetched.
(() => {
  "use strict";
  const K = window.kgExplorer;
  if (!K) return;
  const DATA = K.data;
  // Paper, in units of half a point (so a 14-unit label prints at 7 pt): A4
  // landscape, or A3 landscape for a view too crowded for A4; PNG at 300 dpi.
  const PAPERS = {
    A4: { w: 1684, h: 1190, mm: [297, 210], px: 3508 },
    A3: { w: 2382, h: 1684, mm: [420, 297], px: 4961 },
  };
  const A3_FROM = 90; // nodes
  const DPI = 300;
  const FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif";
  const LEGEND_W = 300;
  let W = PAPERS.A4.w;
  let H = PAPERS.A4.h;
  let AREA = { x: 36, y: 120, w: W - LEGEND_W - 72, h: H - 120 - 70 };
  function usePaper(paper) {
    W = paper.w;
    H = paper.h;
    AREA = { x: 36, y: 130, w: W - LEGEND_W - 72, h: H - 130 - 70 };
  }
  const paperFor = (count, options) => PAPERS[options.paper] || (count > A3_FROM ? PAPERS.A3 : PAPERS.A4);
  // The picture's own texts, Chinese first (kept together for the message catalogue).
  const STR = {
    nodes: ["个节点", "nodes"],
    links: ["条关系", "links"],
    legend: ["图例", "Legend"],
    stated: ["原文所述关系", "relation stated by the article"],
    editorial: ["编辑归类（非原文所述）", "editorial classification (not stated)"],
    isolated: ["未画出无连线的指标节点", "indicators without links left out"],
    around: ["围绕", "around"],
    hidden: ["未显示的类别", "classes not shown"],
    drawnBy: ["绘制", "drawn by"],
    licence: ["数据 CC BY 4.0", "data CC BY 4.0"],
    source: ["来源", "Source"],
    relationNames: ["关系名从略（关系过多）", "relation names left out (too many links)"],
  };
  const lang = () => (document.documentElement.lang.startsWith("en") ? "en" : "zh");
  const tr = (key) => (lang() === "zh" ? STR[key][0] : STR[key][1]);
  const other = (key) => (lang() === "zh" ? STR[key][1] : STR[key][0]);
  const esc = (s) => String(s)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const byId = new Map(DATA.nodes.map((n) => [n.id, n]));
  const nodeLabel = (n) => (lang() === "zh" ? n.label_zh : n.label_en);
  const edgeLabel = (e) => (lang() === "zh" ? e.label_zh : e.label_en);

  // -- what is shown ----------------------------------------------------------
  function currentView(options) {
    const shown = new Set(K.nodes.getIds());
    let edges = DATA.edges.filter((e) => shown.has(e.from) && shown.has(e.to));
    const linked = new Set(edges.flatMap((e) => [e.from, e.to]));
    let nodes = DATA.nodes.filter((n) => shown.has(n.id));
    // Indicators are linked to the world through their figures, which the
    // network folds into the entities: on their own they are a cloud of dots.
    const isolated = nodes.filter((n) => n.group === "indicator" && !linked.has(n.id));
    if (!options.isolated) {
      const gone = new Set(isolated.map((n) => n.id));
      nodes = nodes.filter((n) => !gone.has(n.id));
      edges = edges.filter((e) => !gone.has(e.from) && !gone.has(e.to));
    }
    return { nodes, edges, leftOut: options.isolated ? 0 : isolated.length };
  }

  // -- a fresh layout of just those nodes, with the view's own solver --------
  function layout(nodes, edges) {
    return new Promise((resolve) => {
      const box = document.createElement("div");
      box.style.position = "fixed";
      box.style.left = "-30000px";
      box.style.top = "0";
      box.style.width = "1400px";
      box.style.height = "1000px";
      document.body.append(box);
      const net = new vis.Network(box, {
        nodes: new vis.DataSet(nodes.map((n) => ({ id: n.id, label: nodeLabel(n), shape: n.shape, value: n.size }))),
        edges: new vis.DataSet(edges.map((e) => ({ id: e.id, from: e.from, to: e.to }))),
      }, {
        layout: { randomSeed: 7, improvedLayout: nodes.length <= 150 },
        edges: { smooth: false },
        nodes: { scaling: { min: 8, max: 40, label: { enabled: true, min: 12, max: 22 } } },
        physics: {
          solver: "forceAtlas2Based",
          forceAtlas2Based: { gravitationalConstant: -80, springLength: 120, avoidOverlap: 0.8 },
          stabilization: { enabled: true, iterations: Math.max(DATA.iterations, 400), updateInterval: 1000, fit: false },
        },
      });
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        const positions = net.getPositions();
        net.destroy();
        box.remove();
        resolve(positions);
      };
      net.once("stabilizationIterationsDone", finish);
      setTimeout(finish, 30000); // never wait forever for a solver
    });
  }

  // -- drawing ------------------------------------------------------------------
  const textWidth = (s, size) => [...s].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e7f ? size : size * 0.56), 0);
  // Lines of at most `max` units: Chinese may break between any two
  // characters, other text only at spaces (a word longer than a line is cut).
  function wrap(text, size, max) {
    if (textWidth(text, size) <= max) return [text];
    const tokens = text.match(/[\u2e80-\uffff]|[^\s\u2e80-\uffff]+|\s+/g) || [text];
    const lines = [];
    let line = "";
    for (const token of tokens) {
      const next = line + token;
      if (line.trim() && textWidth(next.trimEnd(), size) > max) {
        lines.push(line.trim());
        line = token.trim() ? token : "";
      } else {
        line = next;
      }
      while (textWidth(line, size) > max * 1.4) { // one very long word
        let cut = line.length - 1;
        while (cut > 1 && textWidth(line.slice(0, cut), size) > max) cut--;
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    }
    if (line.trim()) lines.push(line.trim());
    return lines;
  }
  function shape(kind, x, y, r, fill, stroke) {
    const paint = `fill="${fill}" stroke="${stroke}" stroke-width="1.2"`;
    const poly = (pts) => `<polygon points="${pts.map(([a, b]) => `${(x + a).toFixed(1)},${(y + b).toFixed(1)}`).join(" ")}" ${paint}/>`;
    switch (kind) {
      case "square": return `<rect x="${(x - r * 0.85).toFixed(1)}" y="${(y - r * 0.85).toFixed(1)}" width="${(r * 1.7).toFixed(1)}" height="${(r * 1.7).toFixed(1)}" ${paint}/>`;
      case "diamond": return poly([[0, -r * 1.15], [r * 1.15, 0], [0, r * 1.15], [-r * 1.15, 0]]);
      case "triangle": return poly([[0, -r * 1.15], [r, r * 0.75], [-r, r * 0.75]]);
      case "triangleDown": return poly([[0, r * 1.15], [r, -r * 0.75], [-r, -r * 0.75]]);
      case "hexagon": return poly([0, 1, 2, 3, 4, 5].map((i) => [r * Math.cos(Math.PI / 3 * i), r * Math.sin(Math.PI / 3 * i)]));
      case "star": return poly([...Array(10).keys()].map((i) => {
        const rad = i % 2 ? r * 0.5 : r * 1.2;
        const a = -Math.PI / 2 + Math.PI / 5 * i;
        return [rad * Math.cos(a), rad * Math.sin(a)];
      }));
      default: return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}" ${paint}/>`;
    }
  }

  const SIZE = 14, LINE = 16, MAX = 118; // label font size, line height, widest line (8 CJK characters)
  function labelBox(n, p) {
    const lines = wrap(nodeLabel(n), SIZE, MAX);
    const w = Math.max(2 * p.r, ...lines.map((l) => textWidth(l, SIZE))) + 6;
    return { w, h: 2 * p.r + 4 + lines.length * LINE, lines };
  }
  // Labels stay legible: the force layout leaves dense clusters, so each node
  // with the label under it is pushed out of the others' way (a bounded
  // number of passes, inside the drawing area), keeping the layout's shape.
  function spread(nodes, pos) {
    const items = nodes.map((n) => ({ n, p: pos.get(n.id), ...labelBox(n, pos.get(n.id)) }));
    const boxOf = (it) => ({ x1: it.p.x - it.w / 2, x2: it.p.x + it.w / 2, y1: it.p.y - it.p.r, y2: it.p.y - it.p.r + it.h });
    for (let pass = 0; pass < 400; pass++) {
      let moved = false;
      const boxes = items.map(boxOf);
      for (let i = 0; i < items.length; i++) {
        for (let j = i + 1; j < items.length; j++) {
          const a = boxes[i], b = boxes[j];
          const ox = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
          const oy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
          if (ox <= 0 || oy <= 0) continue;
          moved = true;
          const pi = items[i].p, pj = items[j].p;
          if (ox < oy) {
            const d = (ox / 2 + 0.5) * (pi.x < pj.x || (pi.x === pj.x && i < j) ? -1 : 1);
            pi.x += d; pj.x -= d;
          } else {
            const d = (oy / 2 + 0.5) * (pi.y < pj.y || (pi.y === pj.y && i < j) ? -1 : 1);
            pi.y += d; pj.y -= d;
          }
          boxes[i] = boxOf(items[i]);
          boxes[j] = boxOf(items[j]);
        }
      }
      for (const it of items) {
        it.p.x = Math.min(Math.max(it.p.x, AREA.x + it.w / 2), AREA.x + AREA.w - it.w / 2);
        it.p.y = Math.min(Math.max(it.p.y, AREA.y + it.p.r), AREA.y + AREA.h - it.h + it.p.r);
      }
      if (!moved) break;
    }
  }

  async function svg(options = {}) {
    const view = currentView(options);
    const paper = paperFor(view.nodes.length, options);
    usePaper(paper);
    const raw = view.nodes.length ? await layout(view.nodes, view.edges) : {};
    const xs = view.nodes.map((n) => raw[n.id].x);
    const ys = view.nodes.map((n) => raw[n.id].y);
    const minX = Math.min(...xs, 0), maxX = Math.max(...xs, 1), minY = Math.min(...ys, 0), maxY = Math.max(...ys, 1);
    const pad = 40; // room for the labels at the edges
    const scale = Math.min((AREA.w - 2 * pad) / Math.max(maxX - minX, 1), (AREA.h - 2 * pad) / Math.max(maxY - minY, 1), 2.5);
    const offX = AREA.x + pad + ((AREA.w - 2 * pad) - (maxX - minX) * scale) / 2;
    const offY = AREA.y + pad + ((AREA.h - 2 * pad) - (maxY - minY) * scale) / 2;
    const maxSize = Math.max(1, ...view.nodes.map((n) => n.size));
    const pos = new Map(view.nodes.map((n) => [n.id, {
      x: offX + (raw[n.id].x - minX) * scale,
      y: offY + (raw[n.id].y - minY) * scale,
      r: 6 + 11 * Math.sqrt(n.size / maxSize),
    }]));
    spread(view.nodes, pos);
    const out = [];
    out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${paper.mm[0]}mm" height="${paper.mm[1]}mm" viewBox="0 0 ${W} ${H}" font-family="${esc(FONT)}">`);
    out.push(`<title>${esc(lang() === "zh" ? DATA.title_zh : DATA.title_en)}</title>`);
    out.push(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#8a8a8a"/></marker>`);
    out.push(`<marker id="arrow-ed" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#d08c3a"/></marker></defs>`);
    out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
    // Title: the view's title in the page's language, the other language below.
    const focus = DATA.focus && byId.get(DATA.focus);
    const title = (lang() === "zh" ? DATA.title_zh : DATA.title_en) + (focus ? ` · ${tr("around")} ${nodeLabel(focus)}` : "");
    const subtitle = (lang() === "zh" ? DATA.title_en : DATA.title_zh) + (focus ? ` · ${other("around")} ${lang() === "zh" ? focus.label_en : focus.label_zh}` : "");
    out.push(`<text x="36" y="56" font-size="34" font-weight="bold" fill="#1d3557">${esc(title)}</text>`);
    out.push(`<text x="36" y="86" font-size="18" fill="#555555">${esc(subtitle)}</text>`);
    const hidden = DATA.groups.filter((g) => K.hiddenGroups && K.hiddenGroups.has(g.key)).map((g) => (lang() === "zh" ? g.zh : g.en));
    const counts = `${view.nodes.length} ${tr("nodes")} · ${view.edges.length} ${tr("links")}` + (hidden.length ? ` · ${tr("hidden")}: ${hidden.join("、")}` : "");
    out.push(`<text x="36" y="110" font-size="15" fill="#777777">${esc(counts)}</text>`);
    // Links, under the nodes.
    const withNames = options.relationNames !== false && view.edges.length <= 60;
    const edgeNames = [];
    out.push(`<g stroke-width="1.1" fill="none">`);
    for (const e of view.edges) {
      const a = pos.get(e.from), b = pos.get(e.to);
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.hypot(dx, dy) || 1;
      const x1 = a.x + dx / d * a.r, y1 = a.y + dy / d * a.r, x2 = b.x - dx / d * (b.r + 2), y2 = b.y - dy / d * (b.r + 2);
      const colour = e.editorial ? "#d08c3a" : "#9a9a9a";
      out.push(`<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${colour}"${e.editorial ? ' stroke-dasharray="6 4"' : ""} marker-end="url(#${e.editorial ? "arrow-ed" : "arrow"})"/>`);
      if (withNames) edgeNames.push({ x: (x1 + x2) / 2, y: (y1 + y2) / 2, text: edgeLabel(e) });
    }
    out.push(`</g>`);
    // Nodes, then their labels placed where they hide the fewest others.
    for (const n of view.nodes) {
      const p = pos.get(n.id);
      out.push(shape(n.shape, p.x, p.y, p.r, n.colour, "#333333"));
    }
    // Each label goes under its node, in the room spread() made for it.
    const labels = view.nodes.map((n) => {
      const p = pos.get(n.id);
      return { x: p.x, y: p.y + p.r + 4, anchor: "middle", lines: labelBox(n, p).lines };
    });
    out.push(`<g font-size="${SIZE}" fill="#1a1a1a" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">`);
    for (const l of labels) {
      const tspans = l.lines.map((line, i) => `<tspan x="${l.x.toFixed(1)}" y="${(l.y + SIZE + i * LINE - 2).toFixed(1)}">${esc(line)}</tspan>`).join("");
      out.push(`<text text-anchor="${l.anchor}">${tspans}</text>`);
    }
    out.push(`</g>`);
    if (edgeNames.length) {
      out.push(`<g font-size="11" fill="#666666" stroke="#ffffff" stroke-width="3" paint-order="stroke" text-anchor="middle">`);
      for (const e of edgeNames) out.push(`<text x="${e.x.toFixed(1)}" y="${(e.y + 4).toFixed(1)}">${esc(e.text)}</text>`);
      out.push(`</g>`);
    }
    // Legend: the classes drawn, with their counts; the two kinds of link.
    const lx = W - LEGEND_W + 10;
    let ly = 150;
    out.push(`<line x1="${lx - 20}" y1="130" x2="${lx - 20}" y2="${H - 70}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${lx}" y="${ly}" font-size="20" font-weight="bold" fill="#1d3557">${esc(tr("legend"))} <tspan font-size="14" font-weight="normal" fill="#777777">${esc(other("legend"))}</tspan></text>`);
    ly += 18;
    const present = new Map();
    for (const n of view.nodes) present.set(n.group, (present.get(n.group) || 0) + 1);
    for (const g of DATA.groups.filter((g) => present.has(g.key))) {
      ly += 30;
      out.push(shape(g.shape, lx + 10, ly - 6, 8, g.colour, "#333333"));
      out.push(`<text x="${lx + 28}" y="${ly}" font-size="16" fill="#222222">${esc(lang() === "zh" ? g.zh : g.en)} <tspan fill="#777777" font-size="13">${esc(lang() === "zh" ? g.en : g.zh)} · ${present.get(g.key)}</tspan></text>`);
    }
    ly += 40;
    out.push(`<line x1="${lx}" y1="${ly - 6}" x2="${lx + 22}" y2="${ly - 6}" stroke="#9a9a9a" stroke-width="1.5"/><text x="${lx + 28}" y="${ly}" font-size="14" fill="#222222">${esc(tr("stated"))}</text>`);
    if (view.edges.some((e) => e.editorial)) {
      ly += 24;
      out.push(`<line x1="${lx}" y1="${ly - 6}" x2="${lx + 22}" y2="${ly - 6}" stroke="#d08c3a" stroke-width="1.5" stroke-dasharray="6 4"/><text x="${lx + 28}" y="${ly}" font-size="14" fill="#222222">${esc(tr("editorial"))}</text>`);
    }
    if (view.leftOut) {
      ly += 30;
      out.push(`<text x="${lx}" y="${ly}" font-size="13" fill="#777777">${esc(`${tr("isolated")}（${view.leftOut}）`)}</text>`);
    }
    if (!withNames && view.edges.length > 60 && options.relationNames !== false) {
      ly += 22;
      out.push(`<text x="${lx}" y="${ly}" font-size="13" fill="#777777">${esc(tr("relationNames"))}</text>`);
    }
    // Source line.
    const source = lang() === "zh" ? DATA.source_zh : DATA.source_en;
    const line = `${tr("source")}: ${source || DATA.title_zh} · ${tr("drawnBy")} linzi-kg ${DATA.version || ""} · ${tr("licence")}`;
    out.push(`<line x1="36" y1="${H - 52}" x2="${W - 36}" y2="${H - 52}" stroke="#e0e0e0"/>`);
    out.push(`<text x="36" y="${H - 26}" font-size="15" fill="#555555">${esc(line)}</text>`);
    out.push(`</svg>`);
    return out.join("\n") + "\n";
  }

  // -- PNG at print resolution --------------------------------------------------
  const CRC = (() => {
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return (bytes) => {
      let c = 0xffffffff;
      for (const b of bytes) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
      return (c ^ 0xffffffff) >>> 0;
    };
  })();
  // A pHYs chunk after IHDR says how many pixels make a metre, so that a
  // layout program places the picture at its printed size.
  function withDpi(png, dpi) {
    const ppm = Math.round(dpi / 0.0254);
    const chunk = new Uint8Array(21);
    const view = new DataView(chunk.buffer);
    view.setUint32(0, 9);
    chunk.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
    view.setUint32(8, ppm);
    view.setUint32(12, ppm);
    chunk[16] = 1; // unit: metre
    view.setUint32(17, CRC(chunk.subarray(4, 17)));
    const at = 8 + 25; // signature, then IHDR (13 bytes of data)
    const out = new Uint8Array(png.length + chunk.length);
    out.set(png.subarray(0, at), 0);
    out.set(chunk, at);
    out.set(png.subarray(at), at + chunk.length);
    return out;
  }

  async function png(options = {}) {
    const text = await svg(options);
    const paper = paperFor(currentView(options).nodes.length, options);
    const width = options.width || paper.px;
    const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = Math.round(width * H / W);
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
      const dpi = Math.round(DPI * width / paper.px);
      return withDpi(new Uint8Array(await blob.arrayBuffer()), dpi);
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  function base64(bytes) {
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }

  function save(bytes, type, name) {
    const url = URL.createObjectURL(new Blob([bytes], { type }));
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  window.kgPicture = {
    svg,
    png,
    pngBase64: async (options) => base64(await png(options)),
    saveSvg: async (options) => save(await svg(options), "image/svg+xml", "linzi-kg.svg"),
    savePng: async (options) => save(await png(options), "image/png", "linzi-kg.png"),
  };
})();
