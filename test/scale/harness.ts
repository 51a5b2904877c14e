// Real components for the scale-out test, started on this machine from Debian's packages, each on
// its own port and data directory under one temporary folder, and all stopped at the end:
// MariaDB servers (mariadb-install-db + mariadbd), Redis (redis-server), HAProxy, and Bazaar's
// own web and worker processes (`bazaar start web|worker`).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../core/paths.js';

export const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-scale-'));
const started: { name: string; child: ChildProcess }[] = [];

/** A free TCP port on loopback (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function until(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    try {
      if (await probe()) return Date.now() - t0;
    } catch {
      // not yet
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

function launch(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const log = fs.openSync(path.join(root, `${name}.log`), 'a');
  const child = spawn(cmd, args, { env, stdio: ['ignore', log, log], cwd: projectRoot });
  started.push({ name, child });
  return child;
}

export function logOf(name: string): string {
  const file = path.join(root, `${name}.log`);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** A MariaDB server of its own: a fresh data directory, a user `bazaar`, one database `bazaar`. */
export async function startMariaDb(name: string): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  const install = spawnSync('mariadb-install-db', ['--no-defaults', `--datadir=${dir}/data`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr}`);
  const port = await freePort();
  const sock = path.join(dir, 'sock');
  const child = launch(name, '/usr/sbin/mariadbd', [
    '--no-defaults', `--datadir=${dir}/data`, `--socket=${sock}`, `--port=${port}`, '--bind-address=127.0.0.1', '--user=root',
    '--innodb-buffer-pool-size=128M', '--innodb-flush-log-at-trx-commit=2', '--max-connections=300', `--pid-file=${dir}/pid`, '--skip-log-bin',
    '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci',
  ]);
  await until(`${name} (mariadbd) to accept connections`, () => fs.existsSync(sock) && portOpen(port));
  const sql = "create user 'bazaar'@'%' identified by 'bazaar'; grant all on *.* to 'bazaar'@'%'; create database bazaar character set utf8mb4 collate utf8mb4_unicode_ci;";
  const made = spawnSync('mariadb', [`--socket=${sock}`, '-uroot', '-e', sql], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`${name}: ${made.stderr}`);
  return { url: `mysql://bazaar:bazaar@127.0.0.1:${port}/bazaar?pool=20`, port, stop: () => stop(child) };
}

export async function startRedis(name: string): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = launch(name, 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', root]);
  await until(`${name} (redis-server)`, () => portOpen(port));
  return { url: `redis://127.0.0.1:${port}/0`, port, stop: () => stop(child) };
}

export interface RedisNode { port: number; child: ChildProcess }

/** A Redis Cluster of three masters with one replica each (redis-server --cluster-enabled, redis-cli --cluster create). */
export async function startRedisCluster(): Promise<{ url: string; nodes: RedisNode[]; cli(port: number, ...args: string[]): string; masterOf(key: string): RedisNode }> {
  const nodes: RedisNode[] = [];
  for (let i = 0; i < 6; i++) {
    const port = await freePort();
    const dir = path.join(root, `redis-${i}`);
    fs.mkdirSync(dir, { recursive: true });
    const child = launch(`redis-${i}`, 'redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
      '--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, 'nodes.conf'), '--cluster-node-timeout', '2000',
    ]);
    nodes.push({ port, child });
  }
  for (const n of nodes) await until(`redis node ${n.port}`, () => portOpen(n.port));
  const cli = (port: number, ...args: string[]) => {
    const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  cli(nodes[0].port, '--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '1', '--cluster-yes');
  await until('the cluster to be ok on every node', () => nodes.every((n) => cli(n.port, 'cluster', 'info').includes('cluster_state:ok')));
  const masterOf = (key: string): RedisNode => {
    const alive = nodes.find((n) => n.child.exitCode === null && n.child.signalCode === null && !n.child.killed)!;
    const slot = Number(cli(alive.port, 'cluster', 'keyslot', key).trim());
    for (const line of cli(alive.port, 'cluster', 'nodes').trim().split('\n')) {
      // <id> <ip:port@cport> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link-state> <slot>...
      const fields = line.split(' ');
      const [addr, flags, slots] = [fields[1], fields[2], fields.slice(8)];
      if (!flags.includes('master') || flags.includes('fail')) continue;
      const owns = slots.some((r) => {
        const [a, b] = r.split('-').map(Number);
        return slot >= a && slot <= (b ?? a);
      });
      if (owns) return nodes.find((n) => addr.startsWith(`127.0.0.1:${n.port}@`))!;
    }
    throw new Error(`no master owns slot ${slot}`);
  };
  return { url: `redis+cluster://${nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`, nodes, cli, masterOf };
}

export interface GaleraNode { name: string; port: number; child: ChildProcess }

/**
 * A MariaDB Galera cluster of three nodes (galera-4), bootstrapped from the first; the others join
 * by rsync state transfer. Nodes run as the mysql user (the rsync daemon of a state transfer
 * cannot write a root-owned data directory), each with its own ports and data directory.
 */
export async function startGalera(): Promise<{ nodes: GaleraNode[]; clusterSize(node: GaleraNode): number; sql(node: GaleraNode, statement: string): string }> {
  fs.chmodSync(root, 0o755);
  const dir = path.join(root, 'galera');
  fs.mkdirSync(dir, { recursive: true });
  const ports = await Promise.all(Array.from({ length: 12 }, () => freePort()));
  const [sqlPorts, gcommPorts, istPorts, sstPorts] = [ports.slice(0, 3), ports.slice(3, 6), ports.slice(6, 9), ports.slice(9, 12)];
  const address = `gcomm://${gcommPorts.map((p) => `127.0.0.1:${p}`).join(',')}`;
  const nodes: GaleraNode[] = [];
  const sock = (i: number) => path.join(dir, `node${i}.sock`);
  const sql = (node: GaleraNode, statement: string) => {
    const r = spawnSync('mariadb', [`--socket=${sock(nodes.indexOf(node))}`, '-uroot', '-N', '-e', statement], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${node.name}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const clusterSize = (node: GaleraNode) => Number(sql(node, "show status like 'wsrep_cluster_size'").split(/\s+/)[1]);
  for (let i = 0; i < 3; i++) {
    const data = path.join(dir, `node${i}`);
    const install = spawnSync('mariadb-install-db', ['--no-defaults', `--datadir=${data}`, '--user=mysql', '--auth-root-authentication-method=normal', '--skip-test-db'], { encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`mariadb-install-db (galera node ${i}) failed: ${install.stderr}`);
    spawnSync('chown', ['-R', 'mysql:mysql', dir]);
    const name = `galera-${i}`;
    const child = launch(name, '/usr/sbin/mariadbd', [
      '--no-defaults', `--datadir=${data}`, `--socket=${sock(i)}`, `--port=${sqlPorts[i]}`, '--bind-address=127.0.0.1', '--user=mysql', `--pid-file=${data}.pid`,
      '--binlog-format=ROW', '--default-storage-engine=InnoDB', '--innodb-autoinc-lock-mode=2', '--innodb-buffer-pool-size=128M', '--innodb-flush-log-at-trx-commit=2',
      '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci', '--max-connections=300',
      '--wsrep-on=ON', '--wsrep-provider=/usr/lib/galera/libgalera_smm.so', '--wsrep-cluster-name=bazaar-scale', `--wsrep-cluster-address=${address}`,
      `--wsrep-node-address=127.0.0.1:${gcommPorts[i]}`, `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${gcommPorts[i]};ist.recv_addr=127.0.0.1:${istPorts[i]}`,
      '--wsrep-sst-method=rsync', `--wsrep-sst-receive-address=127.0.0.1:${sstPorts[i]}`, ...(i === 0 ? ['--wsrep-new-cluster'] : []),
    ]);
    const node = { name, port: sqlPorts[i], child };
    nodes.push(node);
    // One joiner at a time: each takes its state from a synced donor.
    await until(`${name} to be synced`, () => fs.existsSync(sock(i)) && sql(node, "show status like 'wsrep_local_state_comment'").endsWith('Synced'), 120_000);
  }
  await until('a Galera cluster of three', () => clusterSize(nodes[0]) === 3, 60_000);
  sql(nodes[0], "create user 'bazaar'@'%' identified by 'bazaar'; grant all on *.* to 'bazaar'@'%'; create database bazaar character set utf8mb4 collate utf8mb4_unicode_ci;");
  return { nodes, clusterSize, sql };
}

export interface Proc {
  name: string;
  port?: number;
  child: ChildProcess;
}

/** `bazaar start <role>` as its own process. */
export async function startBazaar(name: string, role: 'web' | 'worker', env: Record<string, string>): Promise<Proc> {
  const port = role === 'web' ? await freePort() : undefined;
  const child = launch(name, process.execPath, ['--import', 'tsx', 'core/cli.ts', 'start', role], {
    ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', SEED_DEMO: 'false', ...env, ...(port ? { PORT: String(port), HOST: '127.0.0.1' } : {}),
  });
  if (port) await until(`${name} to answer /readyz`, async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200, 120_000);
  else await until(`${name} to start`, () => logOf(name).includes('worker running'), 120_000);
  return { name, port, child };
}

/** One command of the CLI, run to completion (migrate, admin:create, tenant:move). */
export function bazaarCli(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'core/cli.ts', ...args], { cwd: projectRoot, env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', SEED_DEMO: 'false', ...env }, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** HAProxy in front of the web processes: round robin, health checks every 500 ms, the server's name in X-Served-By. */
export async function startHaproxy(backends: Proc[]): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const cfg = path.join(root, 'haproxy.cfg');
  fs.writeFileSync(cfg, [
    'global', '  maxconn 2000',
    'defaults', '  mode http', '  timeout connect 2s', '  timeout client 30s', '  timeout server 30s', '  option redispatch', '  retries 3',
    // Only a connection that never reached a server is retried by the balancer; a request that
    // did reach one is the client's to retry (with its Idempotency-Key).
    '  retry-on conn-failure',
    'frontend shop', `  bind 127.0.0.1:${port}`, '  default_backend webs',
    'backend webs', '  balance roundrobin', '  option httpchk GET /healthz', '  http-response set-header X-Served-By %s',
    ...backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check inter 500 fall 2 rise 2`),
  ].join('\n') + '\n');
  const child = launch('haproxy', '/usr/sbin/haproxy', ['-f', cfg, '-db']);
  await until('haproxy', () => portOpen(port));
  return { url: `http://127.0.0.1:${port}`, stop: () => stop(child) };
}

/** HAProxy in TCP mode in front of database nodes: every connection to the first node that is up (`balance first`). */
export async function startTcpBalancer(name: string, backends: { name: string; port: number }[]): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const cfg = path.join(root, `${name}.cfg`);
  fs.writeFileSync(cfg, [
    'global', '  maxconn 2000',
    'defaults', '  mode tcp', '  timeout connect 2s', '  timeout client 60s', '  timeout server 60s', '  retries 3', '  option redispatch',
    'frontend db', `  bind 127.0.0.1:${port}`, '  default_backend nodes',
    // One writer at a time: Galera certifies writes on different nodes against each other, and a
    // hot row (a stock level) written on two nodes at once fails one of them.
    'backend nodes', '  balance first', '  default-server on-marked-down shutdown-sessions',
    ...backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check inter 500 fall 2 rise 2`),
  ].join('\n') + '\n');
  const child = launch(name, '/usr/sbin/haproxy', ['-f', cfg, '-db']);
  await until(name, () => portOpen(port));
  return { port, stop: () => stop(child) };
}

export function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Stops everything this run started, newest first, and removes the folder unless KEEP_SCALE_DIR is set. */
export async function stopAll(): Promise<void> {
  for (const { child } of started.reverse()) await stop(child);
  started.length = 0;
  if (!process.env.KEEP_SCALE_DIR) fs.rmSync(root, { recursive: true, force: true });
}
