// The network graph: reads elements from the page's data-src (same-origin JSON) and draws them with Cytoscape.js.
// Labels are set as data and drawn on a canvas by Cytoscape, never inserted as HTML.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("graph");
  if (!box || typeof window.cytoscape !== "function") {
    return;
  }
  fetch(box.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
    .then((elements) => {
      const cy = window.cytoscape({
        container: box,
        elements: elements.nodes.concat(elements.edges),
        layout: { name: "cose", animate: false, nodeRepulsion: 8000, idealEdgeLength: 60 },
        wheelSensitivity: 0.3,
        style: [
          { selector: "node", style: { label: "data(label)", "font-size": 9, "text-valign": "bottom", color: "#1d2733" } },
          { selector: 'node[kind = "post"]', style: { "background-color": "#0b5cad", width: 14, height: 14 } },
          { selector: 'node[kind != "post"]', style: { shape: "round-rectangle", "background-color": "#b3261e", width: 12, height: 12 } },
          { selector: "edge", style: { width: 1, "line-color": "#9aa6b2" } },
          { selector: 'edge[kind = "template"]', style: { "line-style": "dashed", "line-color": "#a15c00" } },
          { selector: 'edge[kind = "image"]', style: { "line-style": "dotted", "line-color": "#2e6b30" } },
        ],
      });
      cy.on("tap", "node[href]", (event) => {
        window.location.assign(event.target.data("href"));
      });
      box.dataset.ready = String(cy.nodes().length);
    })
    .catch((error) => {
      box.textContent = "The graph could not be drawn: " + error.message;
    });
});
