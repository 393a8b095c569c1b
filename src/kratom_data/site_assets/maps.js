// Draws the legal-status maps from the shipped boundaries with d3-geo and topojson-client, then
// colours each place by its status on the chosen date. Data comes from the page (STATUS, COLOURS,
// YEARS, NAMES) and from assets/boundaries.js (WORLD, US); nothing is fetched.
(function () {
  var SVG = "http://www.w3.org/2000/svg";
  function draw(svgId, topology, object, codeOf, projection) {
    var svg = document.getElementById(svgId);
    var path = d3.geoPath(projection);
    topojson.feature(topology, topology.objects[object]).features.forEach(function (feature) {
      var code = codeOf(feature);
      if (!code) return;
      var link = document.createElementNS(SVG, "a");
      link.setAttribute("href", "j/" + code + ".html");
      link.setAttribute("aria-label", NAMES[code] || feature.properties.name);
      var shape = document.createElementNS(SVG, "path");
      shape.setAttribute("d", path(feature));
      shape.setAttribute("data-id", code);
      var title = document.createElementNS(SVG, "title");
      title.textContent = NAMES[code] || feature.properties.name;
      shape.appendChild(title);
      link.appendChild(shape);
      svg.appendChild(link);
    });
  }
  function paint(key) {
    document.querySelectorAll(".swatch[data-id]").forEach(function (swatch) {
      var status = STATUS[key][swatch.getAttribute("data-id")] || "not_researched";
      swatch.style.background = COLOURS[status];
      swatch.setAttribute("title", LABELS[status]);
    });
    document.querySelectorAll("path[data-id]").forEach(function (shape) {
      var status = STATUS[key][shape.getAttribute("data-id")] || "not_researched";
      shape.setAttribute("fill", COLOURS[status]);
      shape.querySelector("title").textContent = (NAMES[shape.getAttribute("data-id")] || "") + ": " + LABELS[status];
    });
  }
  var world = d3.geoEqualEarth().fitSize([900, 440], {type: "Sphere"});
  draw("map-world", WORLD, "countries", function (f) { return WORLD_CODES[f.id]; }, world);
  draw("map-us", US, "states", function (f) { return US_CODES[f.properties.name]; }, null);
  var slider = document.getElementById("year");
  var label = document.getElementById("year-label");
  slider.addEventListener("input", function () {
    var key = YEARS[this.value];
    label.textContent = key === LAST ? key + " (release date)" : "1 January " + key;
    paint(key);
  });
  paint(LAST);
})();
