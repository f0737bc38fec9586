// The network graph: reads laid-out elements from the page's data-src (same-origin JSON) and draws them with
// Cytoscape.js at the positions the server computed ("preset": nothing moves after the first paint).
// Identifiers and templates are hubs; a template node stands for all its posts. "Show more" asks for more nodes.
// Labels are set as data and drawn on a canvas by Cytoscape, never inserted as HTML.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("graph");
  if (!box || typeof window.cytoscape !== "function") {
    return;
  }
  const more = document.getElementById("graph-more");
  const note = document.getElementById("graph-note");
  const style = [
    { selector: "node", style: { label: "data(label)", "font-size": 11, "min-zoomed-font-size": 7, "text-valign": "bottom", "text-margin-y": 2, color: "#1d2733", width: "data(size)", height: "data(size)", "text-wrap": "ellipsis", "text-max-width": 140 } },
    { selector: 'node[kind = "post"]', style: { "background-color": "#0b5cad" } },
    { selector: 'node[kind = "template"]', style: { shape: "hexagon", "background-color": "#a15c00" } },
    { selector: 'node[kind != "post"][kind != "template"]', style: { shape: "round-rectangle", "background-color": "#b3261e" } },
    { selector: "edge", style: { width: "mapData(pairs, 1, 50, 1, 5)", "line-color": "#9aa6b2", "curve-style": "straight" } },
    { selector: 'edge[kind = "template"]', style: { "line-style": "dashed", "line-color": "#a15c00" } },
    { selector: 'edge[kind = "style"]', style: { "line-style": "dotted", "line-color": "#6a3d9a" } },
    { selector: 'edge[kind = "image"]', style: { "line-style": "dotted", "line-color": "#2e6b30" } },
  ];
  let cy = null;
  const load = (limit) => {
    const url = limit ? box.dataset.src + "?limit=" + encodeURIComponent(String(limit)) : box.dataset.src;
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))))
      .then((graph) => {
        const elements = graph.nodes.concat(graph.edges);
        if (cy === null) {
          cy = window.cytoscape({ container: box, elements: elements, layout: { name: "preset", fit: true, padding: 24 }, wheelSensitivity: 0.3, style: style });
          cy.on("tap", "node[href]", (event) => {
            window.location.assign(event.target.data("href"));
          });
        } else {
          cy.elements().remove();
          cy.add(elements);
          cy.layout({ name: "preset", fit: true, padding: 24 }).run();
        }
        if (note) {
          note.textContent = "Node size: posts. Showing " + graph.nodes.length + " of " + graph.total_nodes + " nodes" +
            (graph.hidden_nodes ? " (the biggest first)" : "") + ". The table \"What links the posts\" lists the same links.";
        }
        if (more) {
          more.hidden = !graph.next_limit;
          more.dataset.limit = graph.next_limit ? String(graph.next_limit) : "";
        }
        box.dataset.ready = String(cy.nodes().length);
      })
      .catch((error) => {
        box.textContent = "The graph could not be drawn: " + error.message;
      });
  };
  if (more) {
    more.addEventListener("click", () => {
      if (more.dataset.limit) {
        load(more.dataset.limit);
      }
    });
  }
  load(null);
});
