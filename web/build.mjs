// Bundles web/src/{widget,console,seller}/main.js into the served api/static/{widget,console,seller}.js:
// one IIFE each (the one-script-tag embed), readable (not minified), no source maps.
// Run by make (from the Makefile's file-target rules); `node web/build.mjs [widget|console|seller]...`.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const APPS = ["widget", "console", "seller"];
const wanted = process.argv.slice(2);
const apps = wanted.length ? wanted : APPS;

for (const app of apps) {
  if (!APPS.includes(app)) throw new Error(`unknown app ${app}: one of ${APPS.join(", ")}`);
  await build({
    entryPoints: [path.join(root, "web/src", app, "main.js")],
    outfile: path.join(root, "api/static", `${app}.js`),
    bundle: true,
    format: "iife",
    target: "es2020",
    charset: "utf8", // Turkish and Polish strings stay readable (and greppable) in the bundle
    legalComments: "inline",
    // The sources are ES modules (strict mode); the banner keeps the bundle strict too.
    banner: { js: `// Built from web/src/${app} by web/build.mjs (make web); do not edit.\n"use strict";` },
    logLevel: "warning",
  });
}
