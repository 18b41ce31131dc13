// Aviso service worker: keeps the app's shell for when the node is briefly out of
// reach, and shows Web Push notifications. It never caches alerts: a stale alert list
// is worse than an honest "not connected".
"use strict";
var SHELL = "aviso-shell-v1";
var FILES = ["/assets/app.css", "/assets/app.js", "/assets/icon.svg", "/assets/manifest.webmanifest"];
self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(SHELL).then(function (c) { return c.addAll(FILES); }));
});
self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== SHELL; }).map(function (k) { return caches.delete(k); }));
  }));
});
self.addEventListener("fetch", function (e) {
  var url = new URL(e.request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/assets/") !== 0) return;
  e.respondWith(fetch(e.request).catch(function () { return caches.match(e.request, { ignoreSearch: true }); }));
});
self.addEventListener("push", function (e) {
  var d = {};
  try { d = e.data ? e.data.json() : {}; } catch (err) { d = {}; }
  e.waitUntil(self.registration.showNotification(d.title || "Aviso", {
    body: d.body || "", tag: d.id || "aviso", lang: d.lang || "", dir: d.dir || "auto",
    requireInteraction: true, data: { url: d.url || "/" }
  }));
});
self.addEventListener("notificationclick", function (e) {
  e.notification.close();
  var url = (e.notification.data && e.notification.data.url) || "/";
  // Only a page of this app: a push payload cannot send the member elsewhere.
  if (typeof url !== "string" || url.charAt(0) !== "/" || url.charAt(1) === "/") url = "/";
  e.waitUntil(self.clients.openWindow(url));
});
