// The join page's countdown to the cut-off. The server renders the time left; this only
// keeps it ticking, measured from the page's load (the phone's clock may be wrong).
(() => {
  const clock = document.querySelector(".countdown[data-seconds]");
  if (!clock) return;
  const started = Date.now();
  const total = Number(clock.dataset.seconds);
  const pad = (n) => String(n).padStart(2, "0");
  const tick = () => {
    const left = Math.max(0, total - Math.floor((Date.now() - started) / 1000));
    if (left === 0) {
      clock.textContent = clock.dataset.closed;
      document.querySelectorAll(".join-form button[type=submit]").forEach((b) => { b.disabled = true; });
      return;
    }
    const days = Math.floor(left / 86400);
    const rest = left % 86400;
    const time = `${pad(Math.floor(rest / 3600))}:${pad(Math.floor(rest % 3600 / 60))}:${pad(rest % 60)}`;
    clock.textContent = days ? `${clock.dataset.daysFormat.replace("{d}", days)} ${time}` : time;
    setTimeout(tick, 1000);
  };
  tick();
})();
