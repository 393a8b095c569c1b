// The search box: MiniSearch over an index of jurisdictions, studies, claims and alkaloids that the
// site build writes (assets/search-index.js, SEARCH_DOCS); runs offline, from disk.
(function () {
  var box = document.getElementById("search");
  var list = document.getElementById("search-results");
  if (!box || !list) return;
  var up = box.getAttribute("data-up") || "";
  // A place's entry is only its name, so studies that name the place in their summary would outrank it:
  // places get a boost, so typing "Thailand" opens with the Thailand page.
  var placeFirst = function (id, term, stored) { return stored && stored.kind === "place" ? 4 : 1; };
  var index = new MiniSearch({fields: ["title", "text"], storeFields: ["title", "kind", "href"], searchOptions: {prefix: true, fuzzy: 0.2, boost: {title: 3}, boostDocument: placeFirst}});
  index.addAll(SEARCH_DOCS);
  box.addEventListener("input", function () {
    list.innerHTML = "";
    if (this.value.trim().length < 2) return;
    index.search(this.value).slice(0, 12).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = up + hit.href;
      link.textContent = hit.title;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" (" + hit.kind + ")"));
      list.appendChild(item);
    });
  });
})();
