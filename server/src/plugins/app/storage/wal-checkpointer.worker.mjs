// The SQLite store's WAL checkpoints, on a thread of their own (wal-checkpointer.ts says why). Plain
// JavaScript: a worker thread is started from a file, and this one must load wherever the server runs
// (tsx, vitest, plain node).
import process from 'node:process'
import { clearTimeout, setTimeout } from 'node:timers'
import { parentPort, workerData } from 'node:worker_threads'
import BetterSqlite3 from 'better-sqlite3'

/** @type {{ file: string, busyMs: number, idleMs: number }} */
const { file, busyMs, idleMs } = workerData
/** @param {unknown} error */
const describe = (error) => (error instanceof Error ? error.message : String(error))

/** @type {import('better-sqlite3').Database} */
let db
try {
  db = new BetterSqlite3(file, { fileMustExist: true })
  // A checkpoint syncs the log before copying it and the database after, as the server's connection would.
  db.pragma('synchronous = NORMAL')
} catch (error) {
  // An error thrown out of a worker reaches its parent without its message: say it here.
  parentPort?.postMessage({ type: 'failed', message: `cannot open ${file}: ${describe(error)}` })
  process.exit(1)
}

let lastSeen = ''
/** @type {NodeJS.Timeout | undefined} */
let timer

function checkpoint() {
  let nextInMs = idleMs
  try {
    // PASSIVE: copies what it can without waiting for the server's connection, and never makes it wait.
    const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)')
    const seen = `${log}/${checkpointed}`
    // The log moved since the last look: writes are coming in, look again soon.
    if (seen !== lastSeen) nextInMs = busyMs
    lastSeen = seen
  } catch (error) {
    parentPort?.postMessage({ type: 'error', message: describe(error) })
  }
  timer = setTimeout(checkpoint, nextInMs)
}

parentPort?.on('message', (message) => {
  if (message !== 'stop') return
  clearTimeout(timer)
  db.close()
  parentPort?.close()
})
parentPort?.postMessage({ type: 'ready' })
checkpoint()
