// The copy button next to the chain text: the clipboard API where the page may use it,
// otherwise select the text and copy it the old way.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source) return;
  const done = () => {
    const label = button.textContent;
    button.textContent = button.dataset.copied || label;
    setTimeout(() => { button.textContent = label; }, 2000);
  };
  const fallback = () => {
    source.focus();
    source.select();
    try { document.execCommand("copy"); done(); } catch (error) { /* text stays selected */ }
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(source.value).then(done, fallback);
  } else {
    fallback();
  }
});
