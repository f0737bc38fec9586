// Small behaviours of Unveil's pages. No inline script anywhere: the Content-Security-Policy forbids it.
"use strict";
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
