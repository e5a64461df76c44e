/* `draft serve`, better with JavaScript: questions appear and disappear as the answers change, errors
   show as they are typed, the preview follows; the answers are kept in this browser's storage so a closed
   tab loses nothing. The page works without this script: every button is a plain form submission. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var STORE = "draft-serve:answers";
  var form = document.getElementById("w-form");
  if (!form) { return; }
  var aside = document.getElementById("w-aside-body");
  var timer = null, asked = 0;

  function fields() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "_csrf" && typeof value === "string") { pairs.push([name, value]); }
    });
    return pairs;
  }

  function save() {
    try { window.localStorage.setItem(STORE, JSON.stringify(fields())); } catch (e) { /* storage refused */ }
  }

  function apply(result) {
    var shown = form.elements._shown;
    var keys = shown ? shown.value.split(" ").filter(Boolean) : [];
    document.querySelectorAll(".w-question[data-key]").forEach(function (block) {
      var key = block.getAttribute("data-key");
      var on = result.applies[key] === true;
      block.hidden = !on;
      if (on && keys.indexOf(key) < 0) { keys.push(key); }
      var slot = document.getElementById("q-" + key + "-error");
      // An answer still missing keeps its message once shown; a new one waits for the next page's check.
      var message = result.errors[key] || (slot && slot.textContent && result.missing[key]) || "";
      if (slot && slot.textContent !== message) { slot.textContent = message; slot.hidden = !message; }
      block.classList.toggle("w-invalid", message !== "");
      block.querySelectorAll("input").forEach(function (input) {
        if (message) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
      });
    });
    if (shown) { shown.value = keys.join(" "); }
    if (aside && typeof result.aside === "string") {
      var top = aside.scrollTop;
      aside.innerHTML = result.aside;
      aside.scrollTop = top;
    }
  }

  function update() {
    var mine = ++asked;
    var data = new FormData(form);
    data.delete("answers");  // a file chosen to upload goes only with its own button
    window.fetch("/preview", { method: "POST", body: data, credentials: "same-origin",
                               headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (result) { if (result && mine === asked) { apply(result); } })
      .catch(function () { /* the plain form still works */ });
  }

  function changed(event) {
    var name = event.target && event.target.name;
    if (!name || name.charAt(0) === "_") { return; }
    save();
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 200);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  if (document.body.getAttribute("data-page") !== "start") { save(); }

  // The start page offers to go back to answers this browser kept.
  var restore = document.getElementById("w-restore");
  var kept = null;
  try { kept = JSON.parse(window.localStorage.getItem(STORE) || "null"); } catch (e) { kept = null; }
  if (restore && document.body.getAttribute("data-page") === "start" && Array.isArray(kept) && kept.length) {
    restore.hidden = false;
    document.getElementById("w-restore-go").addEventListener("click", function () {
      var again = document.createElement("form");
      again.method = "post";
      again.action = "/";
      var add = function (name, value) {
        var input = document.createElement("input");
        input.type = "hidden"; input.name = name; input.value = value; again.appendChild(input);
      };
      add("_csrf", form.elements._csrf.value);
      kept.forEach(function (pair) {
        if (pair[0] === "_page") { add("_go", "page:" + pair[1]); }
        if (pair[0] !== "_go" && pair[0] !== "_shown") { add(pair[0], pair[1]); }
      });
      document.body.appendChild(again);
      again.submit();
    });
    document.getElementById("w-restore-forget").addEventListener("click", function () {
      try { window.localStorage.removeItem(STORE); } catch (e) { /* nothing kept */ }
      restore.hidden = true;
    });
  }
}());
