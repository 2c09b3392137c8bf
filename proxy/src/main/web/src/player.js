// Floe's station web player. The page (rendered by the proxy's WebPlayerPage) already holds a
// plain <audio> element playing the mount's ICY stream, so it plays without this script; this
// script upgrades it, in this order:
//   1. hls.js where Media Source Extensions exist, with P2P Media Loader sharing segments
//      between listeners over WebRTC, signalled through Floe's own WebTorrent tracker;
//   2. native HLS where the browser plays it itself (Safari on iOS);
//   3. otherwise, or when the HLS playlist fails, the plain stream the page started with.
// Nothing a peer sends is played unless its SHA-256 matches the one the playlist carries
// (#EXT-X-FLOE-SHA256:<hex> before the segment's URI).
import Hls from "hls.js/light";
import { HlsJsP2PEngine } from "p2p-media-loader-hlsjs";
import { startReports } from "./report.js";

const HASH_TAG = "EXT-X-FLOE-SHA256";
const MAX_HASHES = 2048;
const STATUS_POLL_MS = 15000;
// Seconds behind the live edge, and of audio always fetched from Floe ahead of the playhead
// (see where hls.js is configured).
const LIVE_DELAY_S = 30;
const HIGH_DEMAND_S = 10;

function start(root) {
  const audio = root.querySelector("audio");
  const button = root.querySelector(".floe-play");
  const titleEl = root.querySelector(".floe-title");
  const modeEl = root.querySelector(".floe-mode");
  const mount = root.dataset.mount;
  const stream = root.dataset.stream;
  const playlist = root.dataset.playlist;
  const tracker = root.dataset.tracker || trackerUrl();
  const stats = { mode: "stream", http: 0, p2p: 0, verified: 0, rejected: 0, offenders: {} };
  window.floePlayer = { stats, audio };
  root.dataset.hashes = "0";

  let timedTitle = false;
  const setTitle = (t) => {
    if (t && titleEl.textContent !== t) {
      titleEl.textContent = t;
      document.title = t;
    }
  };
  const setMode = (m) => {
    stats.mode = m;
    root.dataset.mode = m;
    if (modeEl) modeEl.textContent = m;
  };

  // Timed metadata: ID3 TIT2/TPE1 in the segments, as hls.js and Safari expose them.
  audio.textTracks.addEventListener("addtrack", (e) => {
    const track = e.track;
    if (track.kind !== "metadata") return;
    track.mode = "hidden";
    track.addEventListener("cuechange", () => {
      let title = null;
      let artist = null;
      for (const cue of track.activeCues || []) {
        const v = cue.value;
        if (!v) continue;
        if (v.key === "TIT2") title = v.data;
        if (v.key === "TPE1") artist = v.data;
      }
      if (title) {
        timedTitle = true;
        setTitle(artist ? `${artist} - ${title}` : title);
      }
    });
  });

  // The status JSON: the title until timed metadata arrives (and for the plain stream).
  const pollStatus = async () => {
    if (timedTitle) return;
    try {
      const r = await fetch("/status-json.xsl", { cache: "no-store" });
      const j = await r.json();
      let sources = j.icestats && j.icestats.source;
      if (!sources) return;
      if (!Array.isArray(sources)) sources = [sources];
      const s = sources.find((x) => x.listenurl && new URL(x.listenurl).pathname === mount);
      if (s) setTitle(s.artist ? `${s.artist} - ${s.title}` : s.title);
    } catch (e) {
      // the page keeps the title it has
    }
  };
  pollStatus();
  setInterval(pollStatus, STATUS_POLL_MS);

  const plainStream = () => {
    setMode("stream");
    if (!audio.src.endsWith(stream)) audio.src = stream;
  };

  button.hidden = false;
  button.addEventListener("click", () => {
    if (audio.paused) {
      if (stats.mode === "stream") audio.src = stream; // the live edge, not a stale buffer
      audio.play().catch(() => {});
    } else {
      audio.pause();
    }
  });
  audio.addEventListener("play", () => { button.textContent = "Pause"; root.dataset.state = "playing"; });
  audio.addEventListener("pause", () => { button.textContent = "Play"; root.dataset.state = "paused"; });

  if (Hls.isSupported()) {
    const hashes = new Map();
    const HlsWithP2P = HlsJsP2PEngine.injectMixin(Hls);
    const hls = new HlsWithP2P({
      // Live P2P (docs/hls.md, "What offload to expect"): play LIVE_DELAY_S behind the live edge, so a
      // new segment is listed about LIVE_DELAY_S - 4 s before it is needed. Until it is within
      // HIGH_DEMAND_S of the playhead, P2P Media Loader fetches it only from a peer that has it,
      // or over HTTP by a lottery (each peer about once per peer count), so in a swarm usually
      // one browser fetches a segment from Floe and the others get it from it. Within
      // HIGH_DEMAND_S it comes over HTTP whatever the peers do: that much audio stays buffered.
      // hls.js then buffers only max(2 segments, HIGH_DEMAND_S) ahead (P2P Media Loader's
      // setting); the engine fetches further ahead itself.
      liveSyncDuration: LIVE_DELAY_S,
      p2p: {
        core: {
          highDemandTimeWindow: HIGH_DEMAND_S,
          // server.web-player.tracker = false: no peers, every segment from Floe.
          isP2PDisabled: root.dataset.p2p === "off",
          announceTrackers: [tracker],
          // One swarm per mount, whatever host name the page was loaded by (each Floe has its
          // own tracker). STUN servers: P2P Media Loader's defaults unless the page names some
          // (data-stun, space-separated; empty for none).
          ...(root.dataset.stun === undefined ? {} : {
            rtcConfig: { iceServers: root.dataset.stun.split(/\s+/).filter(Boolean)
              .map((urls) => ({ urls })) },
          }),
          swarmId: `floe:${mount}`,
          validateP2PSegment: async (url, byteRange, data) => {
            const want = hashes.get(url);
            const ok = want !== undefined && want === (await sha256Hex(data));
            if (ok) stats.verified += data.byteLength;
            else stats.rejected++;
            return ok;
          },
        },
      },
    });
    hls.on(Hls.Events.LEVEL_LOADED, (_, data) => {
      for (const frag of data.details.fragments) {
        for (const tag of frag.tagList) {
          if (tag[0] === HASH_TAG && tag[1]) hashes.set(frag.url, tag[1].trim().toLowerCase());
        }
      }
      while (hashes.size > MAX_HASHES) hashes.delete(hashes.keys().next().value);
      root.dataset.hashes = String(hashes.size); // how many segments the player can verify
    });
    hls.on(Hls.Events.ERROR, (_, data) => {
      if (data.fatal) {
        hls.destroy();
        plainStream();
      }
    });
    const engine = hls.p2pEngine;
    // Bytes of segments played, by where they came from (a rejected peer segment is not one).
    engine.addEventListener("onSegmentLoaded", (d) => {
      if (d.downloadSource === "p2p") stats.p2p += d.bytesLength;
      else stats.http += d.bytesLength;
      root.dataset.bytes = `http=${stats.http} p2p=${stats.p2p} rejected=${stats.rejected}`;
    });
    engine.addEventListener("onSegmentError", (e) => {
      if (e.error && e.error.type === "p2p-segment-validation-failed" && e.peerId) {
        stats.offenders[e.peerId] = (stats.offenders[e.peerId] || 0) + 1;
        console.warn(`floe: peer ${e.peerId} sent a segment that does not match the playlist's SHA-256`);
      }
    });
    startReports(playlist, stats, Number(root.dataset.reportMs) || undefined);
    setMode("hls.js");
    audio.removeAttribute("src");
    hls.attachMedia(audio);
    hls.loadSource(playlist);
  } else if (audio.canPlayType("application/vnd.apple.mpegurl")) {
    setMode("native HLS");
    audio.src = playlist;
    audio.addEventListener("error", plainStream, { once: true });
  } else {
    plainStream();
  }
}

function trackerUrl() {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/announce`;
}

async function sha256Hex(data) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

for (const root of document.querySelectorAll(".floe-player")) start(root);
