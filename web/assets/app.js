// Aviso: live updates, local times, coarse location and notifications.
// Plain JavaScript, no framework, no third-party request: the pages work without it.
"use strict";
(function () {
  var doc = document, lang = doc.documentElement.lang || "en";

  // Times: the server writes UTC and English-free fallbacks; the phone knows its zone.
  function refreshTimes(root) {
    var now = Date.now() / 1000;
    var rel = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;
    var clock = window.Intl ? new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }) : null;
    root.querySelectorAll("time[data-ago]").forEach(function (t) {
      var at = Number(t.getAttribute("datetime")), s = Math.max(0, now - at);
      if (!rel || !at) return;
      t.textContent = s < 60 ? rel.format(0, "second")
        : s < 3600 ? rel.format(-Math.floor(s / 60), "minute")
        : s < 86400 ? rel.format(-Math.floor(s / 3600), "hour")
        : rel.format(-Math.floor(s / 86400), "day");
    });
    root.querySelectorAll("time[data-clock]").forEach(function (t) {
      var at = Number(t.getAttribute("datetime"));
      if (!clock || !at) return;
      var words = t.textContent, stamp = clock.format(new Date(at * 1000));
      // Keep the message around the time ("Until ..."): replace only the clock part.
      var m = words.match(/(\d{4}-\d{2}-\d{2} )?\d{2}:\d{2} UTC/);
      t.textContent = m ? words.replace(m[0], stamp) : stamp;
    });
  }

  // Notifications for severe alerts in the member's areas, while the app is open.
  function prefs() {
    try { return JSON.parse(localStorage.getItem("aviso.prefs") || "{}"); } catch (e) { return {}; }
  }
  function beep() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext, ctx = new Ctx(), o = ctx.createOscillator(), g = ctx.createGain();
      o.frequency.value = 880; g.gain.value = 0.2; o.connect(g); g.connect(ctx.destination);
      o.start(); o.stop(ctx.currentTime + 0.6);
    } catch (e) { /* no sound available */ }
  }
  function notify(article) {
    var p = prefs();
    if (!p.notify) return;
    var h = article.querySelector("h3"), todo = article.querySelector(".todo p");
    if (window.Notification && Notification.permission === "granted") {
      try { new Notification(h ? h.textContent : "Aviso", { body: todo ? todo.textContent : "", tag: article.dataset.id, lang: lang }); } catch (e) { /* mobile: service worker only */ }
    }
    if (p.sound) beep();
    if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
  }

  // Live updates: the node says something changed; fetch the list again, rendered by
  // the server, and mark what is new. The list is an aria-live region, so screen
  // readers hear the change.
  var live = doc.getElementById("live");
  if (live && window.EventSource) {
    var conn = doc.getElementById("conn"), pending = null, known = {};
    live.querySelectorAll("[data-id]").forEach(function (e) { known[e.dataset.id] = true; });
    var reload = function () {
      pending = null;
      fetch(live.dataset.fragment, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          live.innerHTML = html;
          refreshTimes(live);
          live.querySelectorAll("article[data-id]").forEach(function (a) {
            if (!known[a.dataset.id]) { a.classList.add("fresh"); if (a.dataset.urgent === "1") notify(a); }
          });
          known = {};
          live.querySelectorAll("[data-id]").forEach(function (e) { known[e.dataset.id] = true; });
          doc.body.dataset.updated = String(Date.now());
        })
        .catch(function () { if (conn) conn.hidden = false; });
    };
    var es = new EventSource("/events");
    es.onopen = function () { if (conn) conn.hidden = true; };
    es.onerror = function () { if (conn) conn.hidden = false; };
    es.addEventListener("feed", function () { if (!pending) pending = setTimeout(reload, 50); });
  }

  // Coarse location for a report: a geohash cell of about 5 km, computed here; the
  // coordinates never leave the phone.
  function geohash(lat, lon, precision) {
    var base32 = "0123456789bcdefghjkmnpqrstuvwxyz", lat0 = -90, lat1 = 90, lon0 = -180, lon1 = 180;
    var hash = "", bit = 0, ch = 0, even = true;
    while (hash.length < precision) {
      var mid;
      if (even) { mid = (lon0 + lon1) / 2; if (lon >= mid) { ch = ch * 2 + 1; lon0 = mid; } else { ch *= 2; lon1 = mid; } }
      else { mid = (lat0 + lat1) / 2; if (lat >= mid) { ch = ch * 2 + 1; lat0 = mid; } else { ch *= 2; lat1 = mid; } }
      even = !even;
      if (++bit === 5) { hash += base32[ch]; bit = 0; ch = 0; }
    }
    return hash;
  }
  var geoBox = doc.querySelector(".geo"), useLoc = doc.getElementById("use-location");
  if (geoBox && useLoc && navigator.geolocation && window.isSecureContext) {
    geoBox.hidden = false;
    useLoc.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        doc.getElementById("area").value = geohash(pos.coords.latitude, pos.coords.longitude, 5);
      }, function () { var f = doc.getElementById("geo-failed"); if (f) f.hidden = false; },
      { enableHighAccuracy: false, maximumAge: 600000, timeout: 15000 });
    });
  }

  // Settings kept on this device: notifications and sound.
  var notifyBox = doc.getElementById("notify");
  if (notifyBox) {
    var p = prefs(), sound = doc.getElementById("sound");
    if (p.notify !== undefined) notifyBox.checked = !!p.notify;
    if (sound && p.sound !== undefined) sound.checked = !!p.sound;
    notifyBox.form.addEventListener("submit", function () {
      localStorage.setItem("aviso.prefs", JSON.stringify({ notify: notifyBox.checked, sound: sound && sound.checked }));
      if (notifyBox.checked && window.Notification && Notification.permission === "default") Notification.requestPermission();
    });
  }

  // Web Push: the service worker shows notifications while the app is closed. This
  // device subscribes with the node's VAPID key and gives the node its subscription;
  // turning it off removes it from the node, then from the browser.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js").catch(function () { /* no offline shell */ });
  }
  var pushBox = doc.getElementById("push");
  if (pushBox && "serviceWorker" in navigator && window.PushManager && window.Notification && window.isSecureContext) {
    var pushOn = doc.getElementById("push-on"), pushStatus = doc.getElementById("push-status");
    var say = function (k) { pushStatus.textContent = pushStatus.dataset[k] || ""; };
    var post = function (path, body) {
      return fetch(path, { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); });
    };
    var bytes = function (b64) {
      var s = atob(b64.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((b64.length + 3) % 4)), a = new Uint8Array(s.length);
      for (var i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
      return a;
    };
    fetch("/push/key", { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (k) {
        pushBox.hidden = false;
        return navigator.serviceWorker.ready.then(function (reg) {
          return reg.pushManager.getSubscription().then(function (sub) {
            pushOn.checked = !!sub;
            say(sub ? "on" : "off");
            // Renew: the node may have lost it (a new home, a full list).
            if (sub) post("/push/subscribe", sub.toJSON()).catch(function () { say("failed"); });
            pushOn.addEventListener("change", function () {
              pushOn.disabled = true;
              var done = function () { pushOn.disabled = false; };
              if (pushOn.checked) {
                Notification.requestPermission()
                  .then(function (p) {
                    if (p !== "granted") throw new Error("denied");
                    return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytes(k.key) });
                  })
                  .then(function (s) { return post("/push/subscribe", s.toJSON()); })
                  .then(function () { say("on"); }, function (e) { pushOn.checked = false; say(e && e.message === "denied" ? "denied" : "failed"); })
                  .then(done);
              } else {
                reg.pushManager.getSubscription()
                  .then(function (s) {
                    if (!s) return null;
                    return post("/push/unsubscribe", { endpoint: s.endpoint }).then(function () { return s.unsubscribe(); });
                  })
                  .then(function () { say("off"); }, function () { pushOn.checked = true; say("failed"); })
                  .then(done);
              }
            });
          });
        });
      })
      .catch(function () { /* Web Push is off on this node or in this browser */ });
  }

  var errors = doc.getElementById("errors");
  if (errors) errors.focus();
  refreshTimes(doc);
  setInterval(function () { refreshTimes(doc); }, 30000);
})();
