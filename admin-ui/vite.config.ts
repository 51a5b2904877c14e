// Vite builds the console into admin-ui/dist (never committed): `npm start` and the browser
// tests build it when its sources are newer than the last build (see build.ts, which also hands
// in the plugins' precompiled settings validators; `vite` on its own builds without them).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { bazaarConsolePlugins, consoleModuleFiles, handedOff, packagesFromEnv, type ConsolePluginsOptions } from './console-plugins.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export function consoleViteConfig(plugins: ConsolePluginsOptions = handedOff() ?? { modules: consoleModuleFiles(path.join(here, '..'), packagesFromEnv()) }): UserConfig {
  return {
    root: here,
    base: '/admin/',
    plugins: [react(), bazaarConsolePlugins(plugins)],
    // Console pages of npm plugins import these too: one copy for the whole console.
    resolve: {
      alias: [
        { find: '@bazaar/console', replacement: path.join(here, 'src', 'sdk.ts') },
        // Not the ajv-compiling validator: see src/no-ajv.ts.
        { find: /^@rjsf\/validator-ajv8$/, replacement: path.join(here, 'src', 'no-ajv.ts') },
      ],
      dedupe: ['react', 'react-dom', 'react-i18next', '@mantine/core', '@mantine/hooks', '@tanstack/react-query', '@tanstack/react-router'],
    },
    server: { fs: { allow: [path.join(here, '..'), ...plugins.modules.map((f: string) => path.dirname(f))] }, proxy: { '/admin/v1': 'http://localhost:3000', '/platform/v1': 'http://localhost:3000' } },
    build: {
      outDir: path.join(here, 'dist'),
      emptyOutDir: true,
      manifest: true,
      sourcemap: false,
      chunkSizeWarningLimit: 800,
      reportCompressedSize: false,
    },
  };
}

export default defineConfig(consoleViteConfig());
