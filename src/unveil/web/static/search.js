// Search results: select posts (one by one, or the whole page) and add them to a case in bulk.
"use strict";
(() => {
  const form = document.getElementById("bulk-add");
  if (!form) {
    return;
  }
  const boxes = () => Array.from(document.querySelectorAll("input[type=checkbox][name=ref][form=bulk-add]"));
  const all = document.querySelector("[data-pick-all]");
  const button = form.querySelector("[data-needs-selection]");
  const count = form.querySelector("[data-selection-count]");
  const update = () => {
    const picked = boxes().filter((box) => box.checked).length;
    if (button) {
      button.disabled = picked === 0;
    }
    if (count) {
      count.textContent = picked ? `${picked} selected` : "select posts below";
    }
    if (all) {
      all.checked = picked > 0 && picked === boxes().length;
      all.indeterminate = picked > 0 && picked < boxes().length;
    }
  };
  document.addEventListener("change", (event) => {
    if (event.target === all) {
      for (const box of boxes()) {
        box.checked = all.checked;
      }
    }
    update();
  });
  update();
})();
