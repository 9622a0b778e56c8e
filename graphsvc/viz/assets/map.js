/* graphsvc map: draw the network, then wire the search box. No external libraries beyond the
   inlined vis-network; user data is only ever set as text or as property values. */
(function () {
  "use strict";
  performance.mark("gs-start");
  var data = JSON.parse(document.getElementById("gs-data").textContent);
  performance.mark("gs-parsed");
  var container = document.getElementById("gs-map");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  performance.mark("gs-datasets");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  performance.mark("gs-network");
  var state = { network: network, nodes: nodes, edges: edges, drawn: false, drawnAt: null,
                selected: null };
  window.graphsvcMap = state;
  network.once("afterDrawing", function () {
    state.drawn = true;
    state.drawnAt = performance.now();
    document.documentElement.setAttribute("data-map-drawn", "1");
  });

  var names = [];
  var seenName = Object.create(null);
  /* Searchable names: the label (or, on big maps, the name kept back from the canvas until the
     organisation is found: n.nm), and the Thai / English name where it differs from it. */
  data.nodes.forEach(function (n) {
    [n.label || n.nm, n.th, n.en, String(n.id)].forEach(function (s) {
      if (s && !(s.toLowerCase() in seenName)) {
        seenName[s.toLowerCase()] = true;
        names.push([s.toLowerCase(), n.id, s]);
      }
    });
  });

  function find(query) {
    var q = String(query || "").trim().toLowerCase();
    if (!q) { return null; }
    var i, hit = null;
    for (i = 0; i < names.length; i++) { if (names[i][0] === q) { return names[i][1]; } }
    for (i = 0; i < names.length && hit === null; i++) {
      if (names[i][0].indexOf(q) === 0) { hit = names[i][1]; }
    }
    for (i = 0; i < names.length && hit === null; i++) {
      if (names[i][0].indexOf(q) >= 0) { hit = names[i][1]; }
    }
    return hit;
  }

  function focusOn(id) {
    var node = nodes.get(id);
    if (node && !node.label && node.nm) { nodes.update({ id: id, label: node.nm }); }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    state.selected = id;
  }

  /* Select and focus the organisation whose Thai or English name (or id) matches `query`:
     exact match first, then prefix, then substring. Returns its id, or null. */
  state.search = function (query) {
    var id = find(query);
    var status = document.getElementById("gs-search-status");
    if (status) { status.textContent = id === null ? data.text.notFound : ""; }
    if (id !== null) { focusOn(id); }
    return id;
  };

  var input = document.getElementById("gs-search");
  if (input) {
    var list = document.getElementById("gs-names");
    var fragment = document.createDocumentFragment();
    names.forEach(function (entry) {  /* distinct names already; ids are not offered */
      if (entry[2] === String(entry[1])) { return; }
      var option = document.createElement("option");
      option.value = entry[2];
      fragment.appendChild(option);
    });
    list.appendChild(fragment);
    document.getElementById("gs-search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      state.search(input.value);
    });
    input.addEventListener("change", function () { state.search(input.value); });
  }
})();
