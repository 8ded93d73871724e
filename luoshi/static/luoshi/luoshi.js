// Small behaviours of every page, here rather than in on…= attributes,
// which the Content-Security-Policy does not let run.
(function () {
  "use strict";
  // <form data-confirm="Question?">: ask before sending.
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  // <select data-autosubmit>: choosing an option sends its form.
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-autosubmit") && event.target.form) {
      event.target.form.submit();
    }
  });
  // <table class="cards">: on a phone each row is a card and each cell shows its
  // column's name (CSS, from data-label). Rows a template tag writes carry no
  // data-label: they take the header's text here.
  function labelCells() {
    var tables = document.querySelectorAll("table.cards");
    for (var t = 0; t < tables.length; t++) {
      var heads = tables[t].querySelectorAll("thead th");
      if (!heads.length) { continue; }
      var rows = tables[t].querySelectorAll("tbody tr");
      for (var r = 0; r < rows.length; r++) {
        var column = 0;
        for (var c = 0; c < rows[r].children.length; c++) {
          var cell = rows[r].children[c];
          if (!cell.hasAttribute("data-label") && heads[column] && !cell.hasAttribute("colspan")) {
            cell.setAttribute("data-label", heads[column].textContent.trim());
          }
          column += cell.colSpan || 1;
        }
      }
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", labelCells);
  } else {
    labelCells();
  }
})();
