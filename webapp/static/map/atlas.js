/* The web map's script: fills the folium map (boundaries, markers, choropleth, popups) and
   submits the filter form when a choice is made with the pointer (from the keyboard: Enter). The page works without it except for the map.

   Everything comes from this app: the marker data (/markers.json, same filter as the page),
   the boundaries and the popups (server-rendered and escaped by Jinja). */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("atlas-config").textContent);
  var parts = window.ATLAS_PARTS;
  var map = parts.map;
  var mapBox = document.getElementById("map");
  var TOWN_ZOOM = 10;

  var loading = 0; // data asked for and not yet in: 0 once the map holds all it asked for
  function getJSON(url) {
    loading += 1;
    mapBox.dataset.loading = String(loading); // tests and scripts wait for "0"
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
      return response.json();
    }).finally(function () {
      loading -= 1;
      mapBox.dataset.loading = String(loading);
    });
  }

  function textTooltip(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  /* --- Boundaries: counties always (the map reads without tiles), towns when zoomed in --- */
  var choropleth = config.choropleth;

  function countyStyle(feature) {
    var style = { color: "#4a4a4a", weight: 1, fillOpacity: 0, fill: !!choropleth };
    if (config.chosen.indexOf(feature.properties.county) >= 0) { // the county of a county view
      style.color = "#0b3d5c";
      style.weight = 3;
    }
    if (choropleth) {
      var cls = choropleth.classes[feature.properties.county] || 0;
      style.fillColor = config.colours[cls];
      style.fillOpacity = 0.75;
    }
    return style;
  }

  var counties = L.geoJSON(null, { style: countyStyle, interactive: !!choropleth,
    onEachFeature: function (feature, layer) {
      if (!choropleth) { return; }
      var name = feature.properties.county;
      var label = (config.lang === "en" ? feature.properties.county_en : name) + ": " +
        (choropleth.amounts[name] || "");
      layer.bindTooltip(textTooltip(label), { sticky: true });
    } });
  var towns = L.geoJSON(null, { style: { color: "#8a8a8a", weight: 0.6, dashArray: "2 3",
    fill: false }, interactive: false });
  var townsLoaded = false;

  getJSON(config.boundaries.counties).then(function (data) {
    counties.addData(data);
    counties.addTo(map);
    counties.bringToBack();
    parts.control.addOverlay(counties, textTooltip(config.counties_label).outerHTML);
  }).catch(reportError);

  parts.control.addOverlay(towns, textTooltip(config.towns_label).outerHTML);
  var townsChosen = false; // ticked in the layer control: keep them at every zoom
  function loadTowns() {
    if (townsLoaded) { return; }
    townsLoaded = true;
    getJSON(config.boundaries.towns).then(function (data) {
      towns.addData(data);
      towns.bringToBack();
    }).catch(reportError);
  }
  map.on("overlayadd", function (event) {
    if (event.layer === towns) { townsChosen = true; loadTowns(); }
  });
  map.on("overlayremove", function (event) {
    if (event.layer === towns) { townsChosen = false; }
  });
  function maybeTowns() {
    var near = map.getZoom() >= TOWN_ZOOM;
    if (near) { loadTowns(); }
    if (near && !map.hasLayer(towns)) { towns.addTo(map); }
    if (!near && !townsChosen && map.hasLayer(towns)) { map.removeLayer(towns); }
  }
  map.on("zoomend", maybeTowns);

  /* --- Markers: one cluster group per layer, filled from the compact marker rows --- */
  function clusterIcon(layer) {
    return function (cluster) {
      var count = cluster.getChildCount();
      var size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 48;
      var inner = document.createElement("div");
      var span = document.createElement("span");
      span.textContent = String(count);
      var words = document.createElement("span"); // the cluster's name, for a screen reader
      words.className = "visually-hidden";
      words.textContent = config.cluster_label;
      span.appendChild(words);
      inner.appendChild(span);
      return L.divIcon({ html: inner, className: "marker-cluster cl cl-" + layer,
        iconSize: L.point(size, size) });
    };
  }

  var icons = {};
  Object.keys(config.symbols).forEach(function (layer) {
    icons[layer] = config.symbols[layer].map(function (svg) {
      return L.divIcon({ html: svg, className: "atlas-marker", iconSize: [16, 16],
        iconAnchor: [8, 8], popupAnchor: [0, -8] });
    });
    var group = parts.groups[layer];
    if (!group) { return; }
    group.options.iconCreateFunction = clusterIcon(layer);
    group.on("click", function (event) { openPopup(event.layer); }); // one listener, not 100,000
    group.on("keypress", function (event) {
      if (event.originalEvent.key === "Enter") { openPopup(event.layer); }
    });
    group.on("clusterkeypress", function (event) { // Enter on a cluster: what a click does
      if (event.originalEvent.key !== "Enter") { return; }
      if (map.getZoom() >= map.getMaxZoom()) { event.layer.spiderfy(); }
      else { event.layer.zoomToBounds({ padding: [20, 20] }); }
    });
  });

  var popupCache = {};
  function openPopup(marker) {
    var id = marker.options.projectId;
    var show = function (html) {
      marker.unbindPopup();
      // no wider than the map leaves room for (a phone's is 390 px)
      var room = Math.max(200, Math.min(420, mapBox.clientWidth - 60));
      marker.bindPopup(html, { maxWidth: room, minWidth: Math.min(250, room) }).openPopup();
    };
    if (popupCache[id]) { show(popupCache[id]); return; }
    var url = config.popup.replace("PID", encodeURIComponent(id)) +
      (config.lang === "en" ? "?lang=en" : "");
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
      return response.text();
    }).then(function (html) {
      popupCache[id] = html; // rendered by the server with every value escaped
      show(html);
    }).catch(reportError);
  }

  /* --- The map position in the URL (#map=zoom/lat/lon): a link shows the same view --- */
  var VIEW = /^#map=(\d{1,2})\/(-?\d{1,2}(?:\.\d+)?)\/(-?\d{1,3}(?:\.\d+)?)$/;

  function sharedView() {
    var match = VIEW.exec(window.location.hash);
    if (!match) { return null; }
    return { zoom: Number(match[1]), center: [Number(match[2]), Number(match[3])] };
  }

  function keepView() {
    var center = map.getCenter();
    var hash = "#map=" + map.getZoom() + "/" + center.lat.toFixed(4) + "/" + center.lng.toFixed(4);
    // replaceState: moving the map is not a step Back should undo; the query keeps the filter.
    window.history.replaceState(window.history.state, "", window.location.pathname +
      window.location.search + hash);
  }

  /* The view the page opens at, set before any marker is asked for: a shared link's, or the
     county's. A filtered view fits its markers once they are known (fitMarkers). */
  var shared = sharedView();
  if (shared) {
    // a link that holds a map position keeps it (at once: no zoom animation to overtake)
    map.setView(shared.center, shared.zoom, { animate: false });
  } else if (config.bounds) {
    // a county view frames the county (at once: its markers are asked for this view)
    map.fitBounds(config.bounds, { padding: [10, 10], animate: false });
  }

  function fitMarkers(bounds) {
    if (!shared && !config.bounds && config.fit && bounds.isValid()) {
      map.fitBounds(bounds, { maxZoom: 11, padding: [20, 20], animate: false });
    }
  }

  function viewURL() { // the markers of the filter for the map's present view
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
      return v.toFixed(5);
    }).join(",");
    return config.markers + (config.markers.indexOf("?") >= 0 ? "&" : "?") +
      "z=" + map.getZoom() + "&bbox=" + bbox;
  }

  function ready(markers) { // the map is drawn: tests and scripts wait for this
    mapBox.dataset.markers = String(markers);
    if (mapBox.dataset.ready) { return; }
    mapBox.dataset.ready = "true";
    mapBox.dispatchEvent(new CustomEvent("atlas:ready"));
  }

  function makeMarker(row, layer) {
    var exact = row[2] === 1 || row[2] === 2;
    var latlng = L.latLng(row[4], row[3]); // rows are lon, lat (GeoJSON); Leaflet wants lat, lng
    // focusable (Leaflet's keyboard option) and named by its project; Enter opens its popup
    return L.marker(latlng, { icon: icons[layer][exact ? 1 : 0], keyboard: true,
      projectId: row[0], title: row[5] });
  }

  function addMarkers(data) {
    var batches = {};
    data.layers.forEach(function (layer) { batches[layer] = []; });
    var bounds = L.latLngBounds([]);
    data.rows.forEach(function (row) {
      var layer = data.layers[row[1]];
      var marker = makeMarker(row, layer);
      batches[layer].push(marker);
      if (map.hasLayer(parts.groups[layer])) { bounds.extend(marker.getLatLng()); }
    });
    fitMarkers(bounds);
    map.on("moveend", keepView);
    // Ready once every group shown has clustered all its markers (chunked loading goes on
    // after addLayers returns); a hidden group clusters when it is switched on.
    var pending = 1;
    function done() {
      pending -= 1;
      if (pending > 0) { return; }
      ready(data.rows.length);
    }
    Object.keys(batches).forEach(function (layer) {
      var group = parts.groups[layer];
      if (!group || !batches[layer].length) { return; }
      if (map.hasLayer(group)) {
        pending += 1;
        group.options.chunkProgress = function (processed, total) {
          if (processed >= total) { group.options.chunkProgress = null; done(); }
        };
      }
      group.addLayers(batches[layer]);
    });
    done();
  }

  /* --- Many markers: the server counts clusters for each view; exact markers when few --- */
  function byView(first, firstURL) {
    var clusters = {}; // one plain layer of server clusters per map layer, shown with it
    first.layers.forEach(function (layer) { clusters[layer] = L.layerGroup(); });
    var groups = first.layers.map(function (layer) { return parts.groups[layer]; });
    var shown = first;
    var asked = 0;
    map.on("moveend", keepView);
    function draw(data) {
      shown = data;
      first.layers.forEach(function (layer) {
        clusters[layer].clearLayers();
        if (parts.groups[layer]) { parts.groups[layer].clearLayers(); }
      });
      data.clusters.forEach(function (c) {
        var layer = data.layers[c[0]];
        var marker = L.marker([c[3], c[2]], { icon: clusterIcon(layer)({
          getChildCount: function () { return c[1]; } }), keyboard: true });
        var zoomIn = function () { map.setView([c[3], c[2]], Math.min(map.getZoom() + 2, 18)); };
        marker.on("click", zoomIn);
        marker.on("keypress", function (event) {
          if (event.originalEvent.key === "Enter") { zoomIn(); }
        });
        clusters[layer].addLayer(marker);
      });
      var batches = {};
      data.rows.forEach(function (row) {
        var layer = data.layers[row[1]];
        (batches[layer] = batches[layer] || []).push(makeMarker(row, layer));
      });
      Object.keys(batches).forEach(function (layer) {
        if (parts.groups[layer]) { parts.groups[layer].addLayers(batches[layer]); }
      });
      first.layers.forEach(function (layer) { // a layer's clusters show when the layer does
        var on = !parts.groups[layer] || map.hasLayer(parts.groups[layer]);
        if (on && !map.hasLayer(clusters[layer])) { clusters[layer].addTo(map); }
        if (!on && map.hasLayer(clusters[layer])) { map.removeLayer(clusters[layer]); }
      });
      mapBox.dataset.view = data.clusters.length ? "clusters" : "markers";
      ready(data.total);
    }
    function load() {
      var mine = ++asked;
      getJSON(viewURL()).then(function (data) {
        if (mine === asked) { draw(data); } // an older view's answer is dropped
      }).catch(reportError);
    }
    map.on("moveend", load);
    map.on("overlayadd overlayremove", function (event) {
      // a layer of markers switched on or off: its clusters follow (the boundaries do not count)
      if (groups.indexOf(event.layer) >= 0) { draw(shown); }
    });
    draw(first);
    if (viewURL() !== firstURL) { load(); } // the map moved while the first answer came
  }

  // One request: all the markers if they are few enough, else those of this view.
  var firstURL = viewURL();
  getJSON(firstURL).then(function (data) {
    if (data.by_view) { byView(data, firstURL); } else { addMarkers(data); }
  }).catch(reportError);

  function reportError(error) {
    mapBox.dataset.error = String(error && error.message || error);
    if (window.console) { window.console.warn(error); }
  }

  /* --- A phone: the filters folded and the layer list closed, so the map shows first --- */
  if (window.matchMedia("(max-width: 600px)").matches) {
    var panel = document.getElementById("filter-panel");
    if (panel) { panel.open = false; }
    parts.control.options.collapsed = true; // else each overlay added later opens it again
    parts.control.collapse();
    map.on("click", function () { parts.control.collapse(); });
  }

  /* --- The form: submit on change (the URL holds the state; Back returns to the last one) --- */
  var form = document.getElementById("filters");
  if (form) {
    // A choice made with the mouse or a finger applies at once. One made from the keyboard
    // does not: an arrow key steps through a select's options, and reloading the page at each
    // step would lose the reader's place. Enter on a select, or the Apply button, applies it.
    var byKeyboard = false;
    form.addEventListener("keydown", function (event) {
      byKeyboard = true;
      if (event.key === "Enter" && event.target.tagName === "SELECT") {
        event.preventDefault();
        submit();
      }
    });
    form.addEventListener("pointerdown", function () { byKeyboard = false; });
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.dataset && target.dataset.clears) {
        var other = document.getElementById(target.dataset.clears);
        if (other) { other.value = ""; } // a town of another county would match nothing
      }
      if (!byKeyboard && (target.tagName === "SELECT" || target.type === "checkbox")) {
        submit();
      }
    });
    // Back to a page from the browser's cache: show the form as the server wrote it for this URL,
    // not as it was left when it was submitted (autocomplete="off" does the same on a reload).
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) { form.reset(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit();
    });
  }

  function submit() {
    // Leave empty fields out of the URL so that links stay short and equal to the server's.
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (String(value).trim() !== "") { params.append(key, value); }
    });
    var query = params.toString();
    window.location.assign(form.getAttribute("action") + (query ? "?" + query : ""));
  }
})();
