/*
 * LiveShelf overlay service worker: keeps the page shell (index.html, its JS and CSS) so that
 * OBS reloading the browser source while the relay is down still gets the page, which then
 * shows the last state from localStorage. Network first, so a new build is picked up as soon
 * as the relay answers; the cache is only the fallback. Room data never goes through here.
 */
const CACHE = 'liveshelf-overlay-v1';
const scopePath = new URL(self.registration.scope).pathname; // "/overlay/"

async function precache() {
  const cache = await caches.open(CACHE);
  const res = await fetch(scopePath, { cache: 'no-store' });
  if (!res.ok) return;
  const html = await res.clone().text();
  await cache.put(scopePath, res);
  const assets = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => new URL(m[1], self.registration.scope).href);
  await cache.addAll(assets);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== location.origin || !url.pathname.startsWith(scopePath)) return;
  // The page itself is stored without its query: the token never becomes a cache key.
  const key = req.mode === 'navigate' ? scopePath : url.origin + url.pathname;
  event.respondWith(
    fetch(req)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(key, copy));
        }
        return res;
      })
      .catch(() => caches.match(key).then((hit) => hit || Response.error())),
  );
});
