// An import's page while its file is checked or imported in the background:
// every few seconds it asks for itself again, shows the new figures, and once
// the work is over shows the whole page (the preview, the problems or what was
// imported). Without JavaScript the page has a "Check again" link instead.
const INTERVAL = 3000;

async function check() {
  const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
  if (!response.ok) return true;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.getElementById("import-progress");
  if (!fresh) {
    window.location.reload();
    return false;
  }
  document.getElementById("import-progress").replaceWith(document.adoptNode(fresh));
  return true;
}

if (document.getElementById("import-progress")) {
  const timer = setInterval(async () => {
    try {
      if (!(await check())) clearInterval(timer);
    } catch {
      // A dropped connection: try again at the next tick.
    }
  }, INTERVAL);
}
