// linzi-kg SPARQL workbench: YASGUI's editor (Yasqe) and results (Yasr),
// vendored under /static/vendor/yasgui/, talking to this server only.
// Completion comes from /query/vocabulary.json (the served graph's prefixes,
// classes and properties), never from prefix.cc or Linked Open Vocabularies.
// The page without this script is the plain form above it, which still works.
(() => {
  "use strict";
  const root = document.getElementById("workbench");
  const configEl = document.getElementById("workbench-config");
  if (!root || !configEl || !window.Yasgui) return;
  const CONFIG = JSON.parse(configEl.textContent);
  const S = CONFIG.strings; // every text of this script, Chinese first (kg/ui_strings.py)
  const { Yasqe, Yasr } = window.Yasgui;
  const $ = (id) => document.getElementById(id);

  // Nothing leaves the page for another host: the built-in completers that
  // would (prefix.cc, Linked Open Vocabularies) are replaced by local ones.
  Yasqe.defaults.autocompleters = [];
  Yasqe.defaults.prefixCcApi = null;

  function startsWith(list) {
    return (yasqe, token) => {
      const wanted = (token && (token.autocompletionString || token.string) || "").trim();
      return list.filter((iri) => iri.startsWith(wanted)).slice(0, 100);
    };
  }

  function register(vocabulary) {
    const prefixes = Object.entries(vocabulary.prefixes || {}).map(([p, ns]) => `${p}: <${ns}>`).sort();
    Yasqe.forkAutocompleter("prefixes", { name: "lzPrefixes", get: prefixes, bulk: true, persistenceId: null }, false);
    Yasqe.forkAutocompleter("property", { name: "lzProperties", get: startsWith(vocabulary.properties || []), bulk: false, persistenceId: null }, false);
    Yasqe.forkAutocompleter("class", { name: "lzClasses", get: startsWith(vocabulary.classes || []), bulk: false, persistenceId: null }, false);
    return ["variables", "lzPrefixes", "lzProperties", "lzClasses"];
  }

  function localHref(iri) {
    return iri.startsWith(CONFIG.id_prefix) ? "/id/" + iri.slice(CONFIG.id_prefix.length) : null;
  }

  // Result tables link the graph's IRIs to their pages here (not to the
  // unregistered w3id.org address) and show the entity's name beside them.
  function decorate(container, labels) {
    const filter = container.querySelector(".tableFilter");
    if (filter && filter.placeholder !== S.table_filter) {
      filter.placeholder = S.table_filter;
      filter.setAttribute("aria-label", S.table_filter);
    }
    const size = container.querySelector(".pageSizerLabel");
    if (size && size.textContent !== S.table_page_size) size.textContent = S.table_page_size;
    for (const a of container.querySelectorAll("a.iri:not([data-lz])")) {
      a.dataset.lz = "1";
      const iri = a.getAttribute("href") || "";
      const local = localHref(iri);
      if (local) {
        a.setAttribute("href", local);
        a.removeAttribute("target");
      } else {
        a.setAttribute("rel", "noopener noreferrer");
      }
      const names = labels[iri];
      if (names) {
        const name = document.createElement("span");
        name.className = "wb-label";
        name.textContent = names[CONFIG.lang === "en" ? 1 : 0];
        a.title = iri;
        a.parentNode.insertBefore(name, a);
      }
    }
  }

  function downloadLinks(query) {
    for (const input of document.querySelectorAll("form.downloads input[name=query]")) input.value = query;
    const share = $("wb-share");
    if (share) share.href = "/query?query=" + encodeURIComponent(query);
  }

  // The server predeclares the project's prefixes, the editor does not know
  // that: the ones a query uses are declared at its top, which also makes the
  // query run unchanged on any other endpoint.
  function declareUsed(yasqe, prefixes) {
    const text = yasqe.getValue();
    const declared = yasqe.getPrefixesFromQuery();
    const missing = {};
    for (const [name, ns] of Object.entries(prefixes)) {
      const used = new RegExp("(^|[^\\w:<#/.-])" + name.replace(/[-]/g, "\\-") + ":(?!//)", "m");
      if (declared[name] === undefined && used.test(text)) missing[name] = ns;
    }
    if (Object.keys(missing).length) yasqe.addPrefixes(missing);
  }

  // Names for the controls YASGUI draws without one (axe: label, select-name,
  // link-name, empty-table-header), in the page's language.
  function nameControls() {
    const en = document.documentElement.lang.startsWith("en");
    for (const area of root.querySelectorAll("textarea:not([aria-label])")) {
      area.setAttribute("aria-label", en ? "SPARQL query" : "SPARQL 查询");
    }
    for (const select of root.querySelectorAll("select:not([aria-label])")) {
      select.setAttribute("aria-label", en ? "Rows per page" : "每页行数");
    }
    // YASR's icon-only links (the result view's documentation link) have no text.
    for (const link of root.querySelectorAll("a:not([aria-label])")) {
      if (!link.textContent.trim() && !link.title) {
        link.setAttribute("aria-label", en ? "About this result view" : "此结果视图的说明");
      }
    }
    // The row-number column has no header text; "#" names it for everyone.
    for (const th of root.querySelectorAll("th")) {
      if (!th.textContent.trim()) th.textContent = "#";
    }
  }

  function start(vocabulary) {
    const completers = register(vocabulary);
    const yasqe = new Yasqe($("yasqe"), {
      value: CONFIG.query,
      persistenceId: null,
      autocompleters: completers,
      showQueryButton: true,
      resizeable: true,
      editorHeight: "260px",
      consumeShareLink: null,
      createShareableLink: null,
      requestConfig: {
        endpoint: CONFIG.endpoint,
        method: "POST",
        acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
        acceptHeaderGraph: "text/turtle,*/*;q=0.9",
      },
    });
    // The result table speaks the page's languages (kg/ui_strings.py).
    const table = Yasr.plugins && Yasr.plugins.table;
    if (table && table.defaults && table.defaults.tableConfig) {
      table.defaults.tableConfig.language = {
        ...table.defaults.tableConfig.language,
        info: S.table_info,
        infoEmpty: S.table_info_empty,
        infoFiltered: S.table_filtered,
        emptyTable: S.table_empty,
        zeroRecords: S.table_none,
      };
    }
    const yasr = new Yasr($("yasr"), {
      persistenceId: null,
      prefixes: vocabulary.prefixes || {},
      pluginOrder: ["table", "response"],
      defaultPlugin: "table",
    });
    yasqe.on("queryResponse", (_instance, response, duration) => {
      yasr.setResponse(response, duration);
      $("wb-status").textContent = S.took.replaceAll("{ms}", String(Math.round(duration)));
    });
    yasqe.on("query", () => { $("wb-status").textContent = S.running; });
    yasqe.on("change", () => downloadLinks(yasqe.getValue()));
    new MutationObserver(() => {
      decorate($("yasr"), vocabulary.labels || {});
      nameControls();
    }).observe(root, { childList: true, subtree: true });
    nameControls();

    // The named queries are the examples: a click loads one and runs it.
    for (const link of document.querySelectorAll(".examples a[href^='/query?']")) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        const text = new URL(link.href, location.href).searchParams.get("query") || "";
        yasqe.setValue(text);
        declareUsed(yasqe, vocabulary.prefixes || {});
        history.replaceState(null, "", "/query?query=" + encodeURIComponent(text));
        yasqe.query().catch(() => {});
      });
    }
    declareUsed(yasqe, vocabulary.prefixes || {});
    downloadLinks(yasqe.getValue());
    window.kgWorkbench = { yasqe, yasr, vocabulary };
    document.body.dataset.workbench = "ready";
    if (CONFIG.run) yasqe.query().catch(() => {});
  }

  root.hidden = false;
  const plain = $("plain");
  if (plain) plain.hidden = true;
  fetch(CONFIG.vocabulary, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : {}))
    .catch(() => ({}))
    .then(start);
})();
