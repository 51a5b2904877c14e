// What a core domain contributes to the running process. The composition root (server.ts)
// reads the list in core/domains.ts; a domain never wires itself.
import type { Kernel } from './kernel.js';
import type { RouteSpec } from './http/route.js';

export interface Domain {
  name: string;
  routes: RouteSpec[];
  /** Runs once per process at boot, before routes serve: register built-in providers and hooks here. */
  init?(kernel: Kernel): void;
  /** Queue consumers, started only in worker processes (and `all`). */
  startWorkers?(kernel: Kernel): void;
}
