// One place that turns REDIS_URL into a client: `redis://host:port[/db]` (one server) or
// `redis+cluster://host:port,host:port,...` (a Redis Cluster, from any of its nodes; the client
// learns the rest, follows MOVED/ASK and fails over when a replica is promoted).
import { Cluster, Redis, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

const CLUSTER = /^redis\+cluster:\/\//;

export function isClusterUrl(url: string): boolean {
  return CLUSTER.test(url);
}

/** The seed nodes of a `redis+cluster://` URL (user and password, if any, apply to every node). */
export function clusterSeeds(url: string): { nodes: { host: string; port: number }[]; password?: string; username?: string } {
  const rest = url.replace(CLUSTER, '');
  const at = rest.lastIndexOf('@');
  const auth = at >= 0 ? rest.slice(0, at) : '';
  const hosts = (at >= 0 ? rest.slice(at + 1) : rest).replace(/\/.*$/, '');
  const nodes = hosts.split(',').filter(Boolean).map((h) => {
    const [host, port] = h.split(':');
    return { host, port: Number(port || 6379) };
  });
  const [username, password] = auth ? auth.split(':').map(decodeURIComponent) : [];
  return { nodes, ...(password !== undefined ? { password, username: username || undefined } : username ? { password: username } : {}) };
}

/**
 * A client for `url` with these options. On a cluster the options apply to every node's
 * connection, `keyPrefix` and `enableOfflineQueue` to the cluster client (no auto-pipelining).
 */
export function connectRedis(url: string, opts: RedisOptions = {}): RedisClient {
  if (!isClusterUrl(url)) return new Redis(url, opts);
  const { nodes, password, username } = clusterSeeds(url);
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- a node's retryStrategy is the cluster's clusterRetryStrategy
  const { keyPrefix, enableOfflineQueue, enableAutoPipelining, retryStrategy, ...nodeOpts } = opts;
  void enableAutoPipelining;
  return new Cluster(nodes, {
    keyPrefix,
    enableOfflineQueue: enableOfflineQueue ?? true,
    // Auto-pipelining would group a script call by its first argument (the key count), not its
    // key: off on a cluster.
    enableAutoPipelining: false,
    // A promoted replica is found by asking again; keep asking while a failover settles.
    clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 200,
    slotsRefreshTimeout: 2000,
    redisOptions: { ...nodeOpts, ...(password ? { password, username } : {}) },
  });
}
