// linzi-kg review: clear a draft by keyboard. j/k or arrows move, a accepts,
// x rejects, e edits (Enter saves, Escape cancels). Every action is one POST
// to /records/ID; the server rewrites the YAML file atomically.
"use strict";
(function () {
  const list = Array.from(document.querySelectorAll("#records li.rec"));
  const marks = Array.from(document.querySelectorAll("#text mark"));
  let current = -1;

  const marksFor = (id) => marks.filter((m) => m.dataset.recs.split(" ").includes(id));

  function select(i) {
    if (!list.length) return;
    i = Math.max(0, Math.min(list.length - 1, i));
    marks.forEach((m) => m.classList.remove("sel"));
    list.forEach((li) => li.classList.remove("sel"));
    current = i;
    const li = list[i];
    li.classList.add("sel");
    li.focus({ preventScroll: true });
    li.scrollIntoView({ block: "nearest" });
    const own = marksFor(li.dataset.id);
    own.forEach((m) => m.classList.add("sel"));
    if (own[0]) own[0].scrollIntoView({ block: "center" });
  }

  function nextPending(from) {
    for (let k = from + 1; k < list.length; k++) {
      if (list[k].classList.contains("draft")) return k;
    }
    return Math.min(from + 1, list.length - 1);
  }

  function showError(li, message) {
    let box = li.querySelector(".error");
    if (!box) {
      box = document.createElement("div");
      box.className = "error";
      li.appendChild(box);
    }
    box.textContent = message;
  }

  function updatePending() {
    const n = list.filter((li) => li.classList.contains("draft")).length;
    document.getElementById("pending").textContent = String(n);
  }

  function setState(li, state) {
    li.classList.remove("draft", "accepted");
    li.classList.add(state);
    li.querySelector(".state").textContent = state;
    const box = li.querySelector(".error");
    if (box) box.remove();
    updatePending();
  }

  async function send(li, body) {
    const response = await fetch("/records/" + encodeURIComponent(li.dataset.id), {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Linzi-Review": "1" },
      body: JSON.stringify(body),
    });
    const data = await response.json();
    if (!response.ok) {
      showError(li, data.error || response.statusText);
      return null;
    }
    return data;
  }

  async function accept(li) {
    if (await send(li, { action: "accept" })) {
      setState(li, "accepted");
      select(nextPending(list.indexOf(li)));
    }
  }

  async function reject(li) {
    if (await send(li, { action: "reject" })) {
      setState(li, "rejected");
      marksFor(li.dataset.id).forEach((m) => m.classList.add("gone"));
      select(nextPending(list.indexOf(li)));
    }
  }

  function edit(li) {
    if (li.querySelector("form")) return;
    const fields = JSON.parse(li.dataset.fields);
    const form = document.createElement("form");
    for (const [key, value] of Object.entries(fields)) {
      const label = document.createElement("label");
      label.textContent = key + " ";
      const input = document.createElement("input");
      input.name = key;
      input.value = value === null ? "" : String(value);
      label.appendChild(input);
      form.appendChild(label);
    }
    const save = document.createElement("button");
    save.type = "submit";
    save.textContent = "save (Enter)";
    form.appendChild(save);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const out = {};
      for (const input of form.querySelectorAll("input")) out[input.name] = input.value;
      const data = await send(li, { action: "edit", fields: out });
      if (data) {
        const kept = {};
        for (const key of Object.keys(fields)) kept[key] = data.record[key] === undefined ? null : data.record[key];
        li.dataset.fields = JSON.stringify(kept);
        li.querySelector(".sum").textContent = data.summary;
        form.remove();
        setState(li, "accepted");
        select(nextPending(list.indexOf(li)));
      }
    });
    form.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        form.remove();
        li.focus();
      }
      event.stopPropagation();
    });
    li.appendChild(form);
    const first = form.querySelector("input");
    if (first) first.focus();
  }

  document.addEventListener("keydown", (event) => {
    if (event.target instanceof HTMLInputElement) return;
    const li = list[current];
    if (event.key === "j" || event.key === "ArrowDown") {
      event.preventDefault();
      select(current + 1);
      return;
    }
    if (event.key === "k" || event.key === "ArrowUp") {
      event.preventDefault();
      select(current - 1);
      return;
    }
    if (!li || li.classList.contains("rejected")) return;
    if (event.key === "a") {
      event.preventDefault();
      accept(li);
    } else if (event.key === "x") {
      event.preventDefault();
      reject(li);
    } else if (event.key === "e") {
      event.preventDefault();
      edit(li);
    }
  });

  list.forEach((li, i) => {
    li.addEventListener("click", (event) => {
      const act = event.target.dataset ? event.target.dataset.act : undefined;
      if (event.target instanceof HTMLInputElement) return;
      select(i);
      if (!act) return;
      if (li.classList.contains("rejected")) return;
      if (act === "accept") accept(li);
      else if (act === "reject") reject(li);
      else if (act === "edit") edit(li);
    });
  });
  marks.forEach((m) =>
    m.addEventListener("click", () => {
      const id = m.dataset.recs.split(" ")[0];
      const i = list.findIndex((li) => li.dataset.id === id);
      if (i >= 0) select(i);
    }),
  );
  select(nextPending(-1));
  document.body.dataset.ready = "1";
})();
