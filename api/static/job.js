// A job under way: its page is asked for again every two seconds and the new figures are shown
// in place, so that the page does not reload under a reader (a reload moves a screen reader
// back to the top each time). Once the job has ended, its final page is opened: the service
// answers with the plan's page when there is one. Without JavaScript the page refreshes itself.
const EVERY = 2000;

async function poll() {
  let answer;
  try {
    answer = await fetch(location.href, { credentials: "same-origin" });
  } catch {
    setTimeout(poll, EVERY); // the service is out of reach for a moment: ask again
    return;
  }
  const page = new DOMParser().parseFromString(await answer.text(), "text/html");
  if (answer.redirected || !answer.ok || !page.querySelector("script[src$='/job.js']")) {
    location.assign(answer.url);
    return;
  }
  for (const fresh of page.querySelectorAll("[data-live]")) {
    const here = document.getElementById(fresh.id);
    if (!here) continue;
    if (here.textContent !== fresh.textContent) here.textContent = fresh.textContent;
    if (fresh.hasAttribute("value")) here.setAttribute("value", fresh.getAttribute("value"));
  }
  setTimeout(poll, EVERY);
}

setTimeout(poll, EVERY);
