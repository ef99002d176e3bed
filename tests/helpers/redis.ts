import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

/** The machine's Redis; IOC_TEST_REDIS_URL to point elsewhere. */
export const TEST_REDIS_URL = process.env.IOC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

const run = promisify(execFile)

/** Removes every Redis key under an IOC_REDIS_PREFIX (the socket.io adapter's stream, recovery sessions, rate-limit counters). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const cli = ['-u', TEST_REDIS_URL]
  const { stdout } = await run('redis-cli', [...cli, '--scan', '--pattern', `${prefix}:*`])
  const keys = stdout.split('\n').filter(Boolean)
  for (let i = 0; i < keys.length; i += 500) await run('redis-cli', [...cli, 'unlink', ...keys.slice(i, i + 500)])
}
