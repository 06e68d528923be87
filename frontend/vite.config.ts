/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The built app is served by Django: assets under /static/ (whitenoise), index.html for every
// client-side route. In development, `npm run dev` proxies the API to `make run` on port 8000.
export default defineConfig({
  plugins: [react()],
  base: "/static/",
  build: { outDir: "dist", assetsDir: "assets", emptyOutDir: true },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/admin": "http://127.0.0.1:8000",
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
