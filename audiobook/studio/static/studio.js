// audiobook studio: the little the page does by itself. Everything else is the server's.
"use strict";

const token = document.querySelector('meta[name="studio-token"]').content;
const player = document.getElementById("player");
const lines = () => Array.from(document.querySelectorAll(".seg.dialogue"));
let selected = null;

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message;
  box.hidden = !message;
}

async function post(action, body) {
  showError("");
  const response = await fetch("/api/" + action, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Studio-Token": token },
    body: JSON.stringify(body),
  });
  const reply = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok || reply.error) {
    showError(reply.error || "the studio refused the change");
    return false;
  }
  return reply;
}

// After a change the page is drawn again by the server: the new voices, counts and colours.
async function change(action, body) {
  if (await post(action, body)) {
    if (selected) sessionStorage.setItem("studio-selected", selected.dataset.line);
    location.reload();
  }
}

function play(src) {
  player.src = src;
  player.play().catch(() => {}); // a browser may refuse to autoplay; the controls still work
}

function select(el, listen = true) {
  if (!el) return;
  lines().forEach((p) => p.classList.toggle("selected", p === el));
  selected = el;
  el.focus({ preventScroll: true });
  el.scrollIntoView({ block: "nearest" });
  document.getElementById("line-panel").hidden = false;
  document.getElementById("line-text").textContent = el.querySelector(".text").textContent;
  document.getElementById("line-meta").textContent =
    `${el.dataset.line} · ${el.dataset.speaker} · confidence ${el.dataset.confidence}`;
  document.getElementById("assign-speaker").value = el.dataset.speaker;
  document.getElementById("assign-new").value = "";
  if (listen) play(`/audio/line/${el.dataset.line}.mp3?as=${encodeURIComponent(el.dataset.speaker)}`);
}

// The next unsure line: later in this chapter, else in the next chapter that has one.
function nextUnsure() {
  const all = lines();
  const start = selected ? all.indexOf(selected) + 1 : 0;
  const next = all.slice(start).find((p) => p.classList.contains("unsure"));
  if (next) return select(next);
  const here = Number(document.body.dataset.chapter);
  const chapters = Array.from(document.querySelectorAll("nav li[data-unsure]"));
  const later = chapters.find((li) => Number(li.dataset.chapter) > here && Number(li.dataset.unsure) > 0)
    || chapters.find((li) => Number(li.dataset.chapter) <= here && Number(li.dataset.unsure) > 0);
  if (!later) return;
  if (Number(later.dataset.chapter) === here) return select(all.find((p) => p.classList.contains("unsure")));
  sessionStorage.setItem("studio-next-unsure", "1");
  const url = new URL(location.href);
  url.pathname = `/chapter/${later.dataset.chapter}`;
  location.href = url.toString();
}

document.getElementById("script").addEventListener("click", (event) => {
  const el = event.target.closest(".seg.dialogue");
  if (el) select(el);
});

document.addEventListener("keydown", (event) => {
  if (event.target.matches("input, select, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
  const all = lines();
  const at = selected ? all.indexOf(selected) : -1;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    const step = event.key === "ArrowDown" ? 1 : -1;
    select(all[Math.min(all.length - 1, Math.max(0, at + step))]);
  } else if (event.key === " " && selected) {
    event.preventDefault();
    player.paused ? play(player.src) : player.pause();
  } else if (event.key === "n") {
    nextUnsure();
  } else if (/^[1-9]$/.test(event.key) && selected) {
    const person = document.querySelector(`.person kbd[data-key="${event.key}"]`);
    const name = person && person.closest(".person").dataset.name;
    if (name && name !== selected.dataset.speaker) change("line", { line: selected.dataset.line, speaker: name });
  }
});

document.getElementById("unsure-only").addEventListener("change", (event) => {
  const url = new URL(location.href);
  if (event.target.checked) url.searchParams.set("unsure", "1");
  else url.searchParams.delete("unsure");
  location.href = url.toString();
});
document.getElementById("next-unsure").addEventListener("click", nextUnsure);

document.getElementById("assign-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const typed = document.getElementById("assign-new").value.trim();
  const speaker = typed || document.getElementById("assign-speaker").value;
  if (selected) change("line", { line: selected.dataset.line, speaker });
});
document.getElementById("assign-reset").addEventListener("click", () => {
  if (selected) change("line", { line: selected.dataset.line, speaker: null });
});

// Voice pickers: the server sends the voice list once; each picker gets a copy,
// keeping its current voice selected (added if no installed engine lists it).
const voiceOptions = document.getElementById("voice-options").content;
document.querySelectorAll("select.voice").forEach((picker) => {
  const current = picker.dataset.voice;
  picker.replaceChildren(voiceOptions.cloneNode(true));
  if (!Array.from(picker.options).some((o) => o.value === current)) picker.add(new Option(current, current), 0);
  picker.value = current;
});

document.querySelectorAll(".person").forEach((person) => {
  const name = person.dataset.name;
  const voice = person.querySelector(".voice");
  person.querySelector(".audition").addEventListener("click", () => {
    play(`/audio/audition.mp3?name=${encodeURIComponent(name)}&voice=${encodeURIComponent(voice.value)}`);
  });
  person.querySelector(".use-voice").addEventListener("click", () => change("voice", { name, voice: voice.value }));
  person.querySelector(".gender").addEventListener("change", (event) => change("gender", { name, gender: event.target.value }));
  const rename = person.querySelector(".rename");
  if (rename) {
    rename.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && rename.value.trim() && rename.value.trim() !== name) change("rename", { name, new: rename.value.trim() });
    });
  }
});

document.getElementById("merge-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const source = document.getElementById("merge-source").value;
  const into = document.getElementById("merge-into").value;
  if (source === into) return showError("choose two different characters");
  change("merge", { source, into });
});

// Build: start it, then follow its progress until it ends.
const buildButton = document.getElementById("build-button");
const bar = document.getElementById("build-progress");
const status = document.getElementById("build-status");
async function followBuild() {
  const state = await (await fetch("/api/build")).json();
  bar.hidden = !state.running && !state.summary;
  if (state.stage === "rendering" && state.clips_total) {
    bar.max = state.clips_total; bar.value = state.clips_done;
    status.textContent = `rendering ${state.clips_done}/${state.clips_total} clips (${state.clips_cached} cached)`;
  } else if (state.stage === "encoding" && state.files_total) {
    bar.max = state.files_total; bar.value = state.files_done;
    status.textContent = `chapter files ${state.files_done}/${state.files_total} (${state.files_kept.length} unchanged)`;
  } else if (state.running) {
    status.textContent = state.stage + "…";
  }
  buildButton.disabled = state.running;
  if (state.running) return setTimeout(followBuild, 400);
  if (state.error) { status.textContent = "build failed"; showError(state.error); }
  else if (state.summary) { bar.max = 1; bar.value = 1; status.textContent = state.summary; }
}
buildButton.addEventListener("click", async () => {
  if (await post("build", {})) followBuild();
});

// Back where the last change left off; a build still running keeps being followed.
const remembered = sessionStorage.getItem("studio-selected");
sessionStorage.removeItem("studio-selected");
if (remembered) select(document.querySelector(`.seg.dialogue[data-line="${remembered}"]`), false);
if (sessionStorage.getItem("studio-next-unsure")) {
  sessionStorage.removeItem("studio-next-unsure");
  select(document.querySelector(".seg.dialogue.unsure"));
}
followBuild();
