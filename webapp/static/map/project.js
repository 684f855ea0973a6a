/* A project page: the copy button puts the page's link on the clipboard (the field beside it
   holds the link too, for copying by hand where the clipboard is not allowed). */
(function () {
  "use strict";
  var button = document.getElementById("copy-link");
  var field = document.getElementById("page-link");
  var status = document.getElementById("copy-status");
  if (!button || !field) { return; }
  button.addEventListener("click", function () {
    field.select();
    var done = function () { status.textContent = button.dataset.copied; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      field.select(); // selected: Ctrl+C copies it
    }
  });
})();
