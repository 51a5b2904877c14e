// The admin console (admin-ui/, a single-page app built by Vite into admin-ui/dist) is served
// from the API's own origin: /admin/ and everything under it except the Admin API (/admin/v1).
// `/` sends a person to it. Files are read once per process; unknown paths get index.html so
// the app's router can take them.
import fs from 'node:fs';
import path from 'node:path';
import type Koa from 'koa';
import { projectRoot } from '../paths.js';
import type { State } from './state.js';

export const CONSOLE_BASE = '/admin/';
export const consoleDist = (): string => path.join(projectRoot, 'admin-ui', 'dist');

// Inline styles: Mantine sets CSS variables in style attributes. No 'unsafe-eval': the plugin
// settings forms use validators compiled from the schemas when the console is built.
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

const TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const isConsolePath = (p: string) => p === '/admin' || (p.startsWith(CONSOLE_BASE) && !p.startsWith('/admin/v1/') && p !== '/admin/v1');

/** Serves the built console; a no-op (404 as before) while it is not built. */
export function consoleMiddleware(dir = consoleDist()): Koa.Middleware<State> {
  let index: string | null | undefined;
  const readIndex = () => {
    if (index === undefined || index === null) index = fs.existsSync(path.join(dir, 'index.html')) ? fs.readFileSync(path.join(dir, 'index.html'), 'utf8') : null;
    return index;
  };
  const assets = path.join(dir, 'assets');
  return function serveConsole(koa, next) {
    const p = koa.path;
    if (koa.method !== 'GET' && koa.method !== 'HEAD') return next();
    if (p === '/') {
      if (readIndex() === null) return next();
      koa.redirect(CONSOLE_BASE);
      return;
    }
    if (!isConsolePath(p)) return next();
    if (p.startsWith('/admin/assets/')) {
      const file = p.slice('/admin/assets/'.length);
      if (!/^[A-Za-z0-9._-]+$/.test(file)) return next();
      const full = path.join(assets, file);
      if (!fs.existsSync(full)) return next();
      koa.type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      koa.set('Cache-Control', 'public, max-age=31536000, immutable');
      koa.set('Content-Security-Policy', CONSOLE_CSP);
      koa.body = fs.createReadStream(full);
      return;
    }
    const html = readIndex();
    if (html === null) return next();
    koa.set('Content-Security-Policy', CONSOLE_CSP);
    koa.set('Cache-Control', 'no-cache');
    koa.type = 'html';
    koa.body = html;
  };
}
