// Every queue use goes through this module, so moving from bull to BullMQ touches one place.
// A job carries {tenantId, requestId, ...}; the handler rebuilds its ctx from the database.
export interface JobOptions {
  /** Deduplicates: a job with the same id is not added twice while it is known. */
  jobId?: string;
  attempts?: number;
  /** First retry delay in ms; doubles each attempt. */
  backoffMs?: number;
  delayMs?: number;
}

export interface JobInfo {
  id: string;
  attemptsMade: number;
}

export type JobHandler = (data: Record<string, unknown>, job: JobInfo) => Promise<void>;

export interface Queue {
  add(name: string, data: Record<string, unknown>, opts?: JobOptions): Promise<void>;
  /** Starts consuming `name`; only the worker role calls this. */
  process(name: string, concurrency: number, handler: JobHandler): void;
  /**
   * Whether the queue knows a job of this id (waiting, delayed, running, or kept after it ended).
   * The relay's recheck asks this to find jobs a Redis failover or a restart lost.
   */
  has(name: string, jobId: string): Promise<boolean>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
