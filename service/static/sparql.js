// hdcat SPARQL page: example queries fill the editor; Ctrl+Enter (or Cmd+Enter) runs.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("sq-form");
    var editor = document.getElementById("sq-query");
    if (!form || !editor) { return; }
    document.querySelectorAll("a.sq-example").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        editor.value = link.getAttribute("data-query");
        editor.focus();
      });
    });
    editor.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.submit();
      }
    });
  });
})();
