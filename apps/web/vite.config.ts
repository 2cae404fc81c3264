/**
 * The pages' build. `carechain` resolves to the SDK's browser-safe entry (src/index.ts), never to
 * src/node. `/config.json` (the deployment and the service URLs) is served beside the app: in dev and
 * preview from the file named by CARECHAIN_APP_CONFIG, whose `proxy` map also routes `/svc/*` paths to
 * the local services (they send no CORS headers); in production it is a file next to index.html.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import type { IncomingMessage, ServerResponse } from "node:http";
import { defineConfig, type Plugin, type PreviewServer, type ProxyOptions, type ViteDevServer } from "vite";

const here = path.dirname(fileURLToPath(import.meta.url));
const configFile = process.env.CARECHAIN_APP_CONFIG;

function readAppConfig(): { proxy?: Record<string, string> } | undefined {
  if (!configFile) return undefined;
  return JSON.parse(fs.readFileSync(configFile, "utf8")) as { proxy?: Record<string, string> };
}

/** Serves CARECHAIN_APP_CONFIG as /config.json (without its server-side `proxy` map). */
function appConfig(): Plugin {
  const serve = (server: ViteDevServer | PreviewServer) => {
    if (!configFile) return;
    server.middlewares.use("/config.json", (_req: IncomingMessage, res: ServerResponse) => {
      const { proxy: _proxy, ...config } = readAppConfig() ?? {};
      res.setHeader("content-type", "application/json");
      res.setHeader("cache-control", "no-store");
      res.end(JSON.stringify(config));
    });
  };
  return { name: "carechain-app-config", configureServer: serve, configurePreviewServer: serve };
}

const proxy: Record<string, ProxyOptions> = {};
for (const [prefix, target] of Object.entries(readAppConfig()?.proxy ?? {})) {
  proxy[prefix] = { target, changeOrigin: true, rewrite: (p) => p.slice(prefix.length) || "/" };
}

export default defineConfig({
  root: here,
  plugins: [react(), appConfig()],
  resolve: {
    alias: [{ find: /^carechain$/, replacement: path.resolve(here, "../../src/index.ts") }],
  },
  // zxing-wasm's .wasm is imported with ?url and served from the app's own assets.
  optimizeDeps: { exclude: ["zxing-wasm"] },
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2000, sourcemap: false },
  server: { host: "127.0.0.1", proxy },
  preview: { host: "127.0.0.1", proxy },
});
