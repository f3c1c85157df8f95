/* Draws a ModelAtlas graph view with vis-network: nodes coloured and shaped by kind, edges labelled by
 * relation, a legend, hover details, and a click that opens the node's paper or repository link.
 * Used by the self-contained pages of `modelatlas viz` and by the pages of `modelatlas serve`.
 * Every text is handed to vis-network and the DOM as text, never as HTML. */
(function () {
  "use strict";

  function legend(element, data) {
    if (!element) return;
    element.textContent = "";
    Object.keys(data.styles).forEach(function (kind) {
      var style = data.styles[kind];
      var item = document.createElement("span");
      item.className = "atlas-legend-item";
      var swatch = document.createElement("span");
      swatch.className = "atlas-swatch atlas-shape-" + style.shape;
      swatch.style.background = style.color;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(style.label));
      element.appendChild(item);
    });
    var relations = document.createElement("span");
    relations.className = "atlas-legend-item";
    relations.appendChild(document.createTextNode("arrows: source \u2192 target, labelled by relation"));
    element.appendChild(relations);
  }

  function draw(container, legendElement, data, options) {
    options = options || {};
    legend(legendElement, data);
    var groups = {};
    Object.keys(data.styles).forEach(function (kind) {
      var style = data.styles[kind];
      groups[kind] = { color: { background: style.color, border: "#333333" }, shape: style.shape };
    });
    var nodes = data.nodes.map(function (n) {
      return {
        id: n.id, label: n.label, group: n.kind, title: n.title, url: n.url,
        borderWidth: n.id === data.center ? 4 : 1, size: n.id === data.center ? 22 : 14,
      };
    });
    var edges = data.edges.map(function (e, i) {
      return { id: i, from: e.source, to: e.target, label: e.relation, title: e.relation, arrows: "to" };
    });
    var big = nodes.length > 150;
    var labelled = edges.length <= 60;  // past this, relation labels only on hover
    var network = new vis.Network(
      container,
      { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) },
      {
        groups: groups,
        nodes: { font: { size: 13 } },
        edges: { font: { size: labelled ? 10 : 0, align: "middle" }, color: { color: "#999999", highlight: "#333333" }, smooth: false },
        interaction: { hover: true, tooltipDelay: 150, navigationButtons: false, keyboard: true },
        layout: { improvedLayout: !big },
        physics: { solver: "forceAtlas2Based", stabilization: { iterations: big ? 150 : 300 } },
      }
    );
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      network.fit();
      container.setAttribute("data-drawn", String(nodes.length));
    });
    network.on("click", function (params) {
      if (params.nodes.length !== 1) return;
      var node = nodes.filter(function (n) { return n.id === params.nodes[0]; })[0];
      if (node && node.url && /^https?:\/\//.test(node.url)) window.open(node.url, "_blank", "noopener");
    });
    if (options.nodePage) {
      network.on("doubleClick", function (params) {
        if (params.nodes.length === 1) window.location.href = options.nodePage(params.nodes[0]);
      });
    }
    window.atlasNetwork = network;
    return network;
  }

  window.AtlasGraph = { draw: draw };
})();
