/* graphsvc map: fit the network to the screen, label the most important organisations at a
   readable size, and wire the search box, the options, the organisation panel and the table.
   No external libraries beyond the inlined vis-network; user data is only ever set as text or
   as property values. */
(function () {
  "use strict";
  performance.mark("gs-start");
  var data = JSON.parse(document.getElementById("gs-data").textContent);
  var text = data.text;
  performance.mark("gs-parsed");
  var container = document.getElementById("gs-map");
  var legend = document.getElementById("gs-legend");
  var options = document.getElementById("gs-options");
  var LABEL_PX = 13;          /* a label's height on screen, whatever the zoom */
  var LABEL_AREA = 36000;     /* screen px² per label: how crowded labels may get */
  var MAX_SCALE = 1.2;        /* a small network is spread out rather than zoomed in further */
  var PAD = 18;

  /* The legend and the options start folded on narrow screens. */
  if (legend && container.clientWidth < 600) { legend.open = false; }
  if (options && window.innerWidth >= 900) { options.open = true; }

  var byId = Object.create(null);
  data.nodes.forEach(function (n, i) {
    n.i = i; byId[n.id] = n;
    if (n.k === undefined) { n.k = n.nm; }  /* sent only where the key is not the name */
    if (n.w === undefined) { n.w = [0]; }
  });
  var hiddenSector = "";
  var labelPx = container.clientWidth < 600 ? 12 : LABEL_PX;

  function visibleNodes() {
    return data.nodes.filter(function (n) { return !hiddenSector || n.sec === hiddenSector; });
  }

  function box(list) {
    var b = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    list.forEach(function (n) {
      var r = n.size || 10;
      b.left = Math.min(b.left, n.x - r); b.right = Math.max(b.right, n.x + r);
      b.top = Math.min(b.top, n.y - r); b.bottom = Math.max(b.bottom, n.y + r);
    });
    return b;
  }

  /* Room the open legend takes on the right of a wide map (the drawing is fitted beside it). */
  function legendRoom() {
    if (!legend || !legend.open) { return 0; }
    var w = container.clientWidth, lw = legend.offsetWidth + 16;
    return w - lw >= 0.65 * w ? lw : 0;
  }

  function fitScale(list) {
    var b = box(list), room = legendRoom();
    var w = Math.max(container.clientWidth - room - 2 * PAD, 40);
    var below = 1.6 * LABEL_PX;  /* the bottom row's names are drawn under their dots */
    var h = Math.max(container.clientHeight - 2 * PAD - below, 40);
    var bw = Math.max(b.right - b.left, 1), bh = Math.max(b.bottom - b.top, 1);
    return { scale: Math.min(w / bw, h / bh), b: b, room: room, below: below };
  }

  /* On an upright screen (a phone), stand a wide main network upright and lay the smaller
     groups and lone organisations under it again, no wider than it: the drawing then fills
     the screen's height instead of a band across its middle. */
  function standUpright() {
    var w = container.clientWidth, h = container.clientHeight;
    var main = data.nodes.filter(function (n) { return !n.g; });
    if (h < 1.25 * w || main.length < 3) { return; }
    var b = box(main), cx = (b.left + b.right) / 2, cy = (b.top + b.bottom) / 2;
    if (b.right - b.left < 1.15 * (b.bottom - b.top)) { return; }
    main.forEach(function (n) {
      var x = n.x - cx, y = n.y - cy;
      n.x = Math.round(cx - y); n.y = Math.round(cy + x);
    });
    var nb = box(main), groups = {}, gap = 40;
    data.nodes.forEach(function (n) { if (n.g) { (groups[n.g] = groups[n.g] || []).push(n); } });
    var x0 = nb.left, y0 = nb.bottom + 2 * gap, rowH = 0;
    Object.keys(groups).sort(function (a, c) { return a - c; }).forEach(function (k) {
      var members = groups[k], gb = box(members);
      var gw = gb.right - gb.left, gh = gb.bottom - gb.top;
      if (x0 > nb.left && x0 + gw > nb.right) { x0 = nb.left; y0 += rowH + gap; rowH = 0; }
      members.forEach(function (n) {
        n.x = Math.round(x0 + n.x - gb.left); n.y = Math.round(y0 + n.y - gb.top);
      });
      x0 += gw + gap; rowH = Math.max(rowH, gh);
    });
  }
  standUpright();

  /* A small network would be zoomed in until its dots are huge: spread its positions instead. */
  var first = fitScale(data.nodes);
  if (first.scale > MAX_SCALE && data.nodes.length > 1) {
    var cx = (first.b.left + first.b.right) / 2, cy = (first.b.top + first.b.bottom) / 2;
    var k = first.scale / MAX_SCALE;
    data.nodes.forEach(function (n) {
      n.x = Math.round(cx + (n.x - cx) * k); n.y = Math.round(cy + (n.y - cy) * k);
    });
  }

  /* Where the whole drawing goes: its centre, zoom and the shift that keeps it clear of the
     legend and leaves room for the bottom row's names. */
  function view() {
    var f = fitScale(visibleNodes());
    return { x: (f.b.left + f.b.right) / 2, y: (f.b.top + f.b.bottom) / 2,
             scale: Math.min(f.scale, MAX_SCALE), dx: -f.room / 2, dy: -f.below / 2 };
  }

  /* Label the most important organisations in view, LABEL_PX high on screen, as many as fit
     without one label covering another. The others carry no label at all until zoom, search
     or selection brings them in. */
  var labelled = Object.create(null);
  var measurer = document.createElement("canvas").getContext("2d");
  function labelWidth(n) {
    if (n.lw === undefined) {
      measurer.font = "100px " + data.options.nodes.font.face;
      n.lw = measurer.measureText(n.nm).width / 100;
    }
    return n.lw * labelPx;
  }
  function choose(scale, project) {
    var w = container.clientWidth, h = container.clientHeight;
    var budget = Math.max(3, Math.floor(w * h / LABEL_AREA));
    var ranked = visibleNodes().slice().sort(function (a, b) { return a.r - b.r; });
    var selected = state ? state.selected : null;  /* none before the network exists */
    if (selected !== null && byId[selected]) {
      ranked.unshift(byId[selected]);
    }
    var want = Object.create(null), taken = [], count = 0;
    var leaders = Math.max(3, Math.floor(budget / 4));
    /* The dots on screen: a name is not written across another organisation's dot. */
    var CELL = 64, grid = Object.create(null), place = Object.create(null);
    ranked.forEach(function (n) {
      var p = project(n);
      place[n.id] = p;
      if (p.x < -50 || p.y < -50 || p.x > w + 50 || p.y > h + 50) { return; }
      var r = 0.7 * (n.size || 10) * scale;
      var dot = { id: n.id, l: p.x - r, r: p.x + r, t: p.y - r, b: p.y + r };
      for (var gx = Math.floor(dot.l / CELL); gx <= Math.floor(dot.r / CELL); gx++) {
        for (var gy = Math.floor(dot.t / CELL); gy <= Math.floor(dot.b / CELL); gy++) {
          (grid[gx + "," + gy] = grid[gx + "," + gy] || []).push(dot);
        }
      }
    });
    function overDot(box, id) {  /* does the box cross another organisation's dot? */
      for (var gx = Math.floor(box.l / CELL); gx <= Math.floor(box.r / CELL); gx++) {
        for (var gy = Math.floor(box.t / CELL); gy <= Math.floor(box.b / CELL); gy++) {
          var cell = grid[gx + "," + gy] || [];
          for (var j = 0; j < cell.length; j++) {
            var o = cell[j];
            if (o.id !== id && box.l < o.r && o.l < box.r && box.t < o.b && o.t < box.b) {
              return true;
            }
          }
        }
      }
      return false;
    }
    for (var i = 0; i < ranked.length && count < budget; i++) {
      var n = ranked[i];
      if (want[n.id]) { continue; }
      var p = place[n.id];
      var r = (n.size || 10) * scale;
      var lw = labelWidth(n), lh = labelPx * 1.35 + 6;
      var box = { l: p.x - lw / 2 - 2, r: p.x + lw / 2 + 2, t: p.y + r, b: p.y + r + lh };
      var forced = n.id === selected || n.hl;
      if (!forced && (box.l < 0 || box.r > w || p.y < 0 || box.b > h)) { continue; }
      /* the most important names are written even across dots; the rest only in free space */
      var clash = taken.some(function (o) {
        return box.l < o.r && o.l < box.r && box.t < o.b && o.t < box.b;
      }) || (count >= leaders && overDot(box, n.id));
      if (clash && !forced) { continue; }
      taken.push(box); want[n.id] = true; count++;
    }
    return want;
  }
  function relabel() {
    var scale = network.getScale();
    var want = choose(scale, function (n) { return network.canvasToDOM({ x: n.x, y: n.y }); });
    /* Only the named organisations get a font size (setting it on every node of a big map
       takes longer than drawing it). */
    var changes = [], font = { size: labelPx / scale };
    Object.keys(labelled).forEach(function (id) {
      if (!want[id]) { changes.push({ id: byId[id].id, label: null }); delete labelled[id]; }
    });
    Object.keys(want).forEach(function (id) {
      changes.push({ id: byId[id].id, label: byId[id].nm, font: font });
      labelled[id] = true;
    });
    if (changes.length) { nodes.update(changes); }
  }

  /* The first names are chosen before vis-network sees the data (changing a data set it
     draws makes it re-index every node: a quarter of a second at 10,000). */
  var start = view();
  var firstWant = choose(start.scale, function (n) {
    return { x: container.clientWidth / 2 + start.dx + (n.x - start.x) * start.scale,
             y: container.clientHeight / 2 + start.dy + (n.y - start.y) * start.scale };
  });
  Object.keys(firstWant).forEach(function (id) {
    var n = byId[id];
    n.label = n.nm; n.font = { size: labelPx / start.scale }; labelled[id] = true;
  });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  performance.mark("gs-datasets");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  performance.mark("gs-network");
  var state = { network: network, nodes: nodes, edges: edges, drawn: false, drawnAt: null,
                selected: null, fitted: true, labelPx: labelPx, relabel: relabel };
  window.graphsvcMap = state;

  function place(v) {
    network.moveTo({ position: { x: v.x, y: v.y }, scale: v.scale,
                     offset: { x: v.dx, y: v.dy }, animation: false });
    state.fitted = true;
  }
  function fit() { place(view()); relabel(); }
  state.fit = fit;
  place(start);
  network.once("afterDrawing", function () {
    state.drawn = true;
    state.drawnAt = performance.now();
    document.documentElement.setAttribute("data-map-drawn", "1");
  });

  /* Relabel once the zoom or drag has settled (re-sizing every label's font on each frame of
     a wheel zoom would stall a map of thousands). */
  var pending = null;
  function later() {
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(function () { pending = null; relabel(); }, 120);
  }
  network.on("zoom", function () { state.fitted = false; later(); });
  network.on("dragEnd", function (p) { if (!p.nodes.length) { state.fitted = false; later(); } });
  network.on("resize", function () { if (state.fitted) { fit(); } else { later(); } });
  if (legend) { legend.addEventListener("toggle", function () { if (state.fitted) { fit(); } }); }

  /* ---- search: the rules of the search page (graphsvc.model.namesearch) ---- */
  var INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
  var NOT_KEY = /[^\p{L}\p{M}\p{N}]/gu;
  function key(s) {
    var t = String(s || "").normalize("NFKC").replace(/\u0e4d\u0e32/g, "\u0e33")  /* NFKC splits ำ */
      .replace(INVISIBLE, "")
      .replace(/[\u0e50-\u0e59]/g, function (d) { return String(d.charCodeAt(0) - 0x0e50); })
      .replace(/\s+/g, " ").trim().toLowerCase();
    var out = [];
    t.split(" ").forEach(function (word) {
      var run = word, expanded = "", hit = true;
      while (run && hit) {
        hit = false;
        for (var i = 0; i < data.abbreviations.length; i++) {
          var pair = data.abbreviations[i];
          if (run.indexOf(pair[0]) === 0) { expanded += pair[1]; run = run.slice(pair[0].length); hit = true; break; }
        }
      }
      out.push(expanded + run);
    });
    return out.join(" ").replace(NOT_KEY, "");
  }
  state.key = key;  /* the match key, as graphsvc.model.text.match_key makes it */
  var LATIN_WORD = /[0-9a-z]+/g;
  function latinRank(q, s) {
    if (!s || !q) { return null; }
    s = String(s).toLowerCase();
    if (s === q) { return 0; }
    if (s.indexOf(q) === 0) { return 1; }
    var m;
    LATIN_WORD.lastIndex = 0;
    while ((m = LATIN_WORD.exec(s)) !== null) { if (s.indexOf(q, m.index) === m.index) { return 2; } }
    return null;
  }
  function rank(n, q, fold) {
    var best = null;
    if (q) {
      if (n.k === q) { return 0; }
      if (n.k.indexOf(q) === 0) { best = 1; }
      else if (n.w.some(function (i) { return n.k.indexOf(q, i) === i; })) { best = 2; }
      [n.th, n.en].forEach(function (other) {
        if (other && !/^[\x00-\x7f]*$/.test(other)) {
          var ok = key(other);
          var r = ok === q ? 0 : ok.indexOf(q) === 0 ? 1 : null;
          if (r !== null && (best === null || r < best)) { best = r; }
        }
      });
    }
    [n.en, n.th, n.nm, String(n.id)].forEach(function (s) {
      if (s && /^[\x00-\x7f]*$/.test(s)) {
        var r = latinRank(fold, s);
        if (r !== null && (best === null || r < best)) { best = r; }
      }
    });
    return best;
  }
  state.find = function (query) {
    var fold = String(query || "").replace(/\s+/g, " ").trim().toLowerCase();
    if (!fold) { return []; }
    var q = key(query), hits = [];
    data.nodes.forEach(function (n) {
      var r = rank(n, q, fold);
      if (r !== null) { hits.push([r, n.r, n.id]); }
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return hits.map(function (h) { return h[2]; });
  };

  /* ---- the organisation panel ---- */
  var panel = document.getElementById("gs-panel");
  function showPanel(id) {
    var n = byId[id];
    if (!panel || !n) { return; }
    var lines = String(n.title || "").split("\n");
    document.getElementById("gs-panel-name").textContent = n.nm;
    var list = document.getElementById("gs-panel-lines");
    list.textContent = "";
    lines.slice(1).forEach(function (line) {
      var li = document.createElement("li"); li.textContent = line; list.appendChild(li);
    });
    var link = document.getElementById("gs-panel-link");
    if (/^https?:$/.test(location.protocol)) {
      link.href = "/organisations/" + encodeURIComponent(String(n.id)) + "?lang=" + data.lang;
      link.target = data.embed ? "_blank" : "_top";
      link.rel = "noopener";
      link.hidden = false;
    } else { link.hidden = true; }
    panel.hidden = false;
  }
  function hidePanel() { if (panel) { panel.hidden = true; } }
  var closer = document.getElementById("gs-panel-close");
  if (closer) { closer.addEventListener("click", function () { clear(); }); }

  function clear() {
    network.unselectAll();
    state.selected = null;
    hidePanel();
    relabel();
  }

  function focusOn(id) {
    state.selected = id;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    state.fitted = false;
    relabel();
    showPanel(id);
  }
  state.select = focusOn;
  state.clear = clear;

  network.on("click", function (p) {
    if (p.nodes.length) { state.selected = p.nodes[0]; relabel(); showPanel(p.nodes[0]); }
    else { state.selected = null; hidePanel(); relabel(); }
  });

  /* Select and focus the best match for `query` (exact name, then start of the name, then
     start of a word; never inside a word). A failed search clears the old selection.
     Returns the id found, or null. */
  state.search = function (query) {
    var found = state.find(query);
    var status = document.getElementById("gs-search-status");
    if (!found.length) {
      clear();
      if (status) { status.textContent = text.not_found; }
      return null;
    }
    if (status) { status.textContent = found.length > 1 ? text.found_many.replace("{n}", found.length) : ""; }
    if (hiddenSector && byId[found[0]].sec !== hiddenSector) { setSector(""); }
    focusOn(found[0]);
    return found[0];
  };

  var input = document.getElementById("gs-search");
  if (input) {
    var list = document.getElementById("gs-names");
    var seen = Object.create(null), fragment = document.createDocumentFragment();
    data.nodes.forEach(function (n) {
      [n.nm, n.th, n.en].forEach(function (s) {
        if (s && !seen[s]) {
          seen[s] = true;
          var option = document.createElement("option"); option.value = s;
          fragment.appendChild(option);
        }
      });
    });
    list.appendChild(fragment);
    document.getElementById("gs-search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      state.search(input.value);
    });
    input.addEventListener("change", function () { state.search(input.value); });
  }

  /* ---- options: colour, size, sector, recommended ties ---- */
  function paint(mode) {
    nodes.update(data.nodes.map(function (n) {
      var fill = mode === "community" ? n.cm : n.cs;
      var c = n.cand ? { background: "#FFFFFF", border: fill } : { background: fill, border: fill };
      if (n.hl) { c.border = "#000000"; }
      return { id: n.id, color: c };
    }));
    var s = document.getElementById("gs-legend-sector"), c = document.getElementById("gs-legend-community");
    if (s) { s.hidden = mode === "community"; }
    if (c) { c.hidden = mode !== "community"; }
  }
  function resize(metric) {
    var sizes = data.sizes[metric];
    nodes.update(data.nodes.map(function (n) {
      var s = sizes ? sizes[n.i] : 12;
      n.size = n.hl ? Math.max(s * 1.4, 22) : s;  /* kept here too: read when fitting, naming */
      return { id: n.id, size: n.size };
    }));
  }
  function setSector(code) {
    hiddenSector = code;
    nodes.update(data.nodes.map(function (n) { return { id: n.id, hidden: !!code && n.sec !== code }; }));
    var select = document.getElementById("gs-sector");
    if (select) { select.value = code; }
    fit();
  }
  function setProposed(on) {
    var ids = edges.getIds({ filter: function (e) { return e.proposed; } });
    if (!ids.length && on && /^\/maps\/network/.test(location.pathname)) {
      var url = new URL(location.href); url.searchParams.set("recommended", "1");
      location.assign(url.toString());
      return;
    }
    edges.update(ids.map(function (id) { return { id: id, hidden: !on }; }));
  }
  state.paint = paint; state.resize = resize; state.setSector = setSector;
  state.setProposed = setProposed;
  var bind = function (id, fn) {
    var el = document.getElementById(id);
    if (el) { el.addEventListener("change", function () { fn(el.type === "checkbox" ? el.checked : el.value); }); }
  };
  bind("gs-color", paint);
  bind("gs-size", resize);
  bind("gs-sector", setSector);
  bind("gs-proposed", setProposed);

  /* ---- the table of organisations: the map as text, built when first opened ---- */
  var table = document.getElementById("gs-table");
  if (table) {
    table.addEventListener("toggle", function () {
      var body = document.getElementById("gs-table-body");
      if (!table.open || body.childElementCount) { return; }
      var degree = Object.create(null);
      data.edges.forEach(function (e) {
        if (e.proposed) { return; }
        degree[e.from] = (degree[e.from] || 0) + 1; degree[e.to] = (degree[e.to] || 0) + 1;
      });
      var rows = data.nodes.slice().sort(function (a, b) { return a.r - b.r; });
      var frag = document.createDocumentFragment();
      rows.forEach(function (n) {
        var tr = document.createElement("tr");
        var th = document.createElement("th"); th.scope = "row";
        var b = document.createElement("button"); b.type = "button"; b.className = "gs-linkish";
        b.textContent = n.nm; b.title = text.show_on_map;
        b.addEventListener("click", function () { focusOn(n.id); container.scrollIntoView(); });
        th.appendChild(b); tr.appendChild(th);
        var sector = String(n.title || "").split("\n").filter(function (l) {
          return l.indexOf(text.sector + ": ") === 0;
        })[0];
        var td = document.createElement("td");
        td.textContent = sector ? sector.slice(text.sector.length + 2) : "";
        tr.appendChild(td);
        var tdn = document.createElement("td"); tdn.textContent = String(degree[n.id] || 0);
        tr.appendChild(tdn);
        frag.appendChild(tr);
      });
      body.appendChild(frag);
    });
  }
})();
