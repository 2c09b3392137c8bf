// Reports the web player's counters to Floe, so a station sees its offload (docs/hls.md):
// segment bytes played from Floe over HTTP and from browser peers, peer segments rejected for a
// SHA-256 mismatch, and the peers that sent them. Sends what changed since the last report that
// left, every REPORT_MS and when the page is hidden or left (navigator.sendBeacon, which outlives
// the page), as POST <mount>.hls/report (beside the playlist, so a page embedding the player
// elsewhere reports to the Floe it plays from) with a small JSON body Floe checks strictly.
const REPORT_MS = 20000;
const MAX_OFFENDERS = 8; // Floe takes at most 8 per report
const MAX_SECONDS = 600; // and a report covering at most 600 s
const PRINTABLE_ID = /^[\x21-\x7e]{1,64}$/; // the peer ids Floe takes (a tracker relays any)

export function startReports(playlist, stats, everyMs = REPORT_MS) {
  const url = playlist.replace(/\.m3u8(\?.*)?$/, ".hls/report");
  if (url === playlist) return null; // not a Floe playlist: nowhere to report
  const sent = { http: 0, p2p: 0, rejected: 0, offenders: {} };
  let since = performance.now();
  const send = () => {
    const now = performance.now();
    const d = {
      seconds: Math.min(MAX_SECONDS, Math.max(0.001, (now - since) / 1000)),
      http: stats.http - sent.http,
      p2p: stats.p2p - sent.p2p,
      rejected: stats.rejected - sent.rejected,
      offenders: Object.keys(stats.offenders)
        .filter((id) => stats.offenders[id] !== sent.offenders[id] && PRINTABLE_ID.test(id))
        .slice(0, MAX_OFFENDERS),
    };
    if (!d.http && !d.p2p && !d.rejected && !d.offenders.length) return;
    d.seconds = Math.round(d.seconds * 1000) / 1000;
    const body = JSON.stringify(d);
    let queued = false;
    try {
      queued = navigator.sendBeacon(url, body); // text/plain: no CORS preflight
    } catch (e) {
      queued = false;
    }
    if (!queued) return; // counted again next time
    since = now;
    sent.http += d.http;
    sent.p2p += d.p2p;
    sent.rejected += d.rejected;
    for (const id of d.offenders) sent.offenders[id] = stats.offenders[id];
  };
  setInterval(send, everyMs);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") send();
  });
  addEventListener("pagehide", send);
  return send;
}
