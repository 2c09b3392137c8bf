// Builds the web player's script, floe-player.js, into the folder given as the first argument
// (Maven passes the proxy's classpath folder target/classes/dev/floe/proxy/web; default dist/).
//
// 1. `npm ci` when node_modules does not hold exactly what package-lock.json pins (a copy of the
//    lockfile in node_modules marks the last install), so a fresh checkout installs from the npm
//    registry and later builds cost nothing. .npmrc sets ignore-scripts: no package runs code at
//    install (bittorrent-tracker's Node-only WebRTC dependency would try to download a binary).
// 2. esbuild bundles src/player.js with hls.js and P2P Media Loader into one minified script.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

const out = process.argv[2] ?? "dist";
const lock = "package-lock.json";
const stamp = path.join("node_modules", ".floe-installed-lock.json");
if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== readFileSync(lock, "utf8")) {
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { stdio: "inherit" });
  copyFileSync(lock, stamp);
}

const esbuild = await import("esbuild");
await esbuild.build({
  entryPoints: ["src/player.js"],
  outfile: path.join(out, "floe-player.js"),
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  // p2p-media-loader-core's own browser bundle (bittorrent-tracker and its Node shims already
  // built in), instead of its ES sources that import Node's modules.
  conditions: ["p2pml:core-as-bundle"],
  // The licences of hls.js, P2P Media Loader and their dependencies stay in the bundle.
  legalComments: "eof",
  logLevel: "warning",
});
