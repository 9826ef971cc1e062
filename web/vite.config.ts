import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The Rust server serves web/dist at `/` with an SPA fallback, so the base is `/`.
// `npm run dev` proxies the API to a server running on 127.0.0.1:8080
// (`switchboard serve --http 127.0.0.1:8080 --demo`).
const api = process.env.SWITCHBOARD_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: true, ws: true },
      '/healthz': { target: api, changeOrigin: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});
