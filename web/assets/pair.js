// Aviso: the pairing page. The code comes in the link's fragment (#code), which the
// browser never sends to any server or puts in a Referer; it goes into the form, then
// out of the address bar. Without this script the member types the code.
"use strict";
(function () {
  function take() {
    var code = decodeURIComponent((location.hash || "").slice(1));
    var input = document.getElementById("code");
    if (input && /^[A-Za-z0-9-]{1,64}$/.test(code)) {
      input.value = code;
      history.replaceState(null, "", location.pathname + location.search);
      var submit = document.getElementById("pair-submit");
      if (submit) submit.focus();
    }
  }
  take();
  // A new link opened on the page already showing (only the fragment changes).
  window.addEventListener("hashchange", take);
})();
