(function () {
  "use strict";
  var box = document.getElementById("filter");
  var input = document.getElementById("filter-input");
  var count = document.getElementById("filter-count");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#projects tbody tr"));
  var names = rows.map(function (row) { return row.cells[0].textContent.toLocaleLowerCase(); });
  function show() {
    var words = input.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row, i) {
      var match = words.every(function (word) { return names[i].indexOf(word) !== -1; });
      row.hidden = !match;
      shown += match ? 1 : 0;
    });
    count.textContent = count.getAttribute("data-template")
      .replace("{shown}", String(shown)).replace("{total}", String(rows.length));
  }
  input.addEventListener("input", show);
  box.hidden = false;
  show();
}());
