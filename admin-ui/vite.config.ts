// Vite builds the console into admin-ui/dist (never committed): `npm start` and the browser
// tests build it when its sources are newer than the last build (see build.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/admin/',
  plugins: [react()],
  resolve: { alias: { '@bazaar/console': path.join(here, 'src', 'sdk.ts') } },
  server: { fs: { allow: [path.join(here, '..')] }, proxy: { '/admin/v1': 'http://localhost:3000', '/platform/v1': 'http://localhost:3000' } },
  build: {
    outDir: path.join(here, "dist"),
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
    reportCompressedSize: false,
  },
});
