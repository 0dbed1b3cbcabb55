// The Training Summary page asks how its PDF is getting on every few seconds,
// and offers the download when it is ready. Without JavaScript the page has a
// "Check again" link instead.
const box = document.getElementById("report-run");

async function check() {
  const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
  if (!response.ok) return true;
  const state = await response.json();
  document.getElementById("run-status").textContent = state.status_label;
  document.getElementById("run-stage").textContent = state.stage;
  document.getElementById("run-stage-line").hidden = !state.stage;
  document.getElementById("run-progress").textContent = state.progress;
  document.getElementById("run-progress-bar").style.width = `${state.progress}%`;
  if (state.download_url) {
    const download = document.getElementById("run-download");
    download.querySelector("a").href = state.download_url;
    download.hidden = false;
  }
  if (state.status === "failed") document.getElementById("run-failed").hidden = false;
  const finished = state.status === "done" || state.status === "failed";
  if (finished) document.getElementById("run-refresh")?.remove();
  return !finished;
}

if (box && box.dataset.finished !== "true") {
  const timer = setInterval(async () => {
    try {
      if (!(await check())) clearInterval(timer);
    } catch {
      // A dropped connection: try again at the next tick.
    }
  }, 3000);
}
