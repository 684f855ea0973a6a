/* The small map of an OGC API HTML page (items or one item), like pygeoapi's.
 *
 * Draws the features of #feature-map-data (GeoJSON, each with `label` and `href` properties)
 * over the county outlines the element's data-boundaries names, with the app's own Leaflet:
 * no tiles, no other host. Labels reach the page as text only (textContent), never as HTML.
 * When done the element gets data-ready and data-features (how many features are drawn).
 */
(function () {
  "use strict";

  var TAIWAN = [[21.85, 118.1], [26.4, 122.1]]; // south-west, north-east: lat, lon (Leaflet's order)
  var element = document.getElementById("feature-map");
  var source = document.getElementById("feature-map-data");
  if (!element || !source || !window.L) {
    return;
  }
  var data = JSON.parse(source.textContent);

  function link(properties) {
    var anchor = document.createElement("a");
    anchor.href = properties.href;
    anchor.textContent = properties.label;
    return anchor;
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  var map = L.map(element, { attributionControl: false, zoomSnap: 0.25 });
  var features = L.geoJSON(data, {
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, {
        radius: 6, weight: 1, color: "#ffffff", fillColor: "#c0392b", fillOpacity: 0.9,
      });
    },
    style: function () {
      return { color: "#c0392b", weight: 2, fillOpacity: 0.15 };
    },
    onEachFeature: function (feature, layer) {
      layer.bindTooltip(text(feature.properties.label));
      layer.bindPopup(link(feature.properties));
    },
  }).addTo(map);

  var drawn = features.getLayers().length;
  if (drawn) {
    map.fitBounds(features.getBounds(), { padding: [20, 20], maxZoom: 12 });
  } else {
    map.fitBounds(TAIWAN);
  }

  function ready() {
    element.setAttribute("data-features", String(drawn));
    element.setAttribute("data-ready", "");
  }

  fetch(element.getAttribute("data-boundaries"))
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (outlines) {
      if (outlines) {
        L.geoJSON(outlines, {
          interactive: false,
          style: { color: "#8a8a8a", weight: 1, fill: false },
        }).addTo(map);
        features.bringToFront();
      }
    })
    .catch(function () {
      // The outlines are a backdrop: the features are on the map without them.
    })
    .then(ready);
})();
