import { Worker } from 'node:worker_threads'
import { sql, type Kysely } from 'kysely'
import type { Database } from './database.ts'
import { createThrottledWarn, type WarnLog } from '../../../throttled-warn.ts'

/** SQLite's default: the connection that commits copies the log back once it holds this many pages. */
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1_000
/**
 * While the checkpointer runs, the server's connection still checkpoints past this many pages (4 KiB
 * each, ~40 MB): the bound on the log should the worker not keep up.
 */
export const BACKSTOP_AUTOCHECKPOINT_PAGES = 10_000

export interface WalCheckpointerOptions {
  /** The SQLite file, in WAL mode, that `db` has open. */
  file: string
  /** The server's connection to it: its own checkpoints are raised to the backstop while the worker runs. */
  db: Kysely<Database>
  log: WarnLog & { error(fields: Record<string, unknown>, message: string): void }
  /** How soon the worker looks again after finding the log moved. */
  busyMs?: number
  /** How soon it looks again after finding it still. */
  idleMs?: number
}

export interface WalCheckpointer {
  /** False once the worker failed and the server's connection checkpoints for itself again. */
  running(): boolean
  /** Stops the worker (its connection closed); call before closing the store. */
  stop(): Promise<void>
}

/**
 * SQLite in WAL mode appends each commit to a log and, now and then, copies the log back into the
 * database file: a checkpoint, with an fsync of each. By default the connection that commits does
 * it once the log holds 1,000 pages — here the server's one connection, on the event loop. The
 * ingest's group commits touch a page per station in each group, so the log fills fast: the
 * checkpoints and their fsyncs were about a third of the store's time on the event loop
 * (docs/benchmarks.md, "Ingest, issue #17: the store's checkpoints off the event loop"), waiting on
 * the disk, the process doing nothing else meanwhile.
 *
 * A worker thread with a connection of its own checkpoints instead: PASSIVE, so it never waits for
 * the server's connection nor makes it wait; soon again while the log moves, rarely while it does not.
 * The log goes back to its start once wholly copied between two commits; under a load that leaves no
 * such gap, the server's connection checkpoints past BACKSTOP_AUTOCHECKPOINT_PAGES, what is left to
 * copy by then being little. Nothing about durability changes: a commit is in the log when it returns,
 * as before. If the worker cannot start or fails, the failure is logged and the server's connection
 * takes its checkpoints back at SQLite's default.
 */
export async function startWalCheckpointer(options: WalCheckpointerOptions): Promise<WalCheckpointer> {
  const { file, db, log } = options
  const setAutocheckpoint = (pages: number) => sql.raw(`PRAGMA wal_autocheckpoint = ${pages}`).execute(db)
  const warnOnce = createThrottledWarn(log)
  const worker = new Worker(new URL('./wal-checkpointer.worker.mjs', import.meta.url), {
    workerData: { file, busyMs: options.busyMs ?? 20, idleMs: options.idleMs ?? 500 },
  })
  let state: 'starting' | 'running' | 'failed' | 'stopping' = 'starting'
  let exited = false
  const exit = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      exited = true
      resolve()
    }),
  )

  const started = await new Promise<boolean>((resolve) => {
    const fail = (reason: string) => {
      resolve(false)
      if (state === 'failed' || state === 'stopping') return
      const wasRunning = state === 'running'
      state = 'failed'
      log.error({ file, reason }, 'the WAL checkpointer stopped: the server checkpoints the store itself again')
      if (wasRunning) setAutocheckpoint(DEFAULT_AUTOCHECKPOINT_PAGES).catch((error: unknown) => log.error({ err: error }, 'could not restore the store’s own checkpoints'))
    }
    worker.on('message', (message: { type: 'ready' | 'failed' | 'error'; message?: string }) => {
      if (message.type === 'ready') resolve(true)
      else if (message.type === 'failed') fail(message.message!)
      // One warning a minute: a disk that refuses every checkpoint must not flood the log.
      else warnOnce('checkpoint', { file, err: message.message }, 'a WAL checkpoint failed; the worker tries again')
    })
    worker.on('error', (error: unknown) => fail(error instanceof Error ? error.message : JSON.stringify(error)))
    worker.on('exit', (code) => fail(`exited with code ${code}`))
  })
  if (started) {
    await setAutocheckpoint(BACKSTOP_AUTOCHECKPOINT_PAGES)
    if (state === 'starting') state = 'running'
    // It failed meanwhile: its failure saw nothing to restore.
    else await setAutocheckpoint(DEFAULT_AUTOCHECKPOINT_PAGES)
  }

  return {
    running: () => state === 'running',
    async stop() {
      const wasRunning = state === 'running'
      state = 'stopping'
      if (!exited) worker.postMessage('stop')
      await exit
      if (wasRunning) await setAutocheckpoint(DEFAULT_AUTOCHECKPOINT_PAGES)
    },
  }
}
