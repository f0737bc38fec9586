// Small behaviours of Unveil's pages. No inline script anywhere: the Content-Security-Policy forbids it.
"use strict";
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
// Times written as <time class="local" datetime="...Z">: shown in the reader's time zone and language.
function localTimes(root) {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  for (const element of root.querySelectorAll("time.local[datetime]")) {
    const moment = new Date(element.getAttribute("datetime"));
    if (!Number.isNaN(moment.getTime())) {
      element.title = element.textContent;
      element.textContent = format.format(moment);
    }
  }
}
document.addEventListener("DOMContentLoaded", () => localTimes(document));
document.addEventListener("htmx:afterSwap", (event) => localTimes(event.target));
// Lists with "Add selected to case" (templates/cases/_add.html, bulk): the boxes of a list name its form
// (form="ID"); the count of ticked boxes is shown, the button waits for one, "select all" ticks the page.
function bulkForms(root) {
  for (const form of root.querySelectorAll("form.bulk-add[id]")) {
    const boxes = () => Array.from(document.querySelectorAll(`input[type=checkbox][name=ref][form="${form.id}"]`));
    const all = document.querySelector(`[data-pick-all="${form.id}"]`);
    const button = form.querySelector("[data-needs-selection]");
    const count = form.querySelector("[data-selection-count]");
    const update = () => {
      const picked = boxes().filter((box) => box.checked).length;
      if (button) {
        button.disabled = picked === 0;
      }
      if (count) {
        count.textContent = picked ? `${picked} selected` : "select rows below";
      }
      if (all) {
        all.checked = picked > 0 && picked === boxes().length;
        all.indeterminate = picked > 0 && picked < boxes().length;
      }
    };
    document.addEventListener("change", (event) => {
      if (all && event.target === all) {
        for (const box of boxes()) {
          box.checked = all.checked;
        }
      }
      if (event.target === all || event.target.getAttribute("form") === form.id) {
        update();
      }
    });
    update();
  }
}
document.addEventListener("DOMContentLoaded", () => bulkForms(document));
