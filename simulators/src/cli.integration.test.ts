import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const cliPath = fileURLToPath(new URL('./cli.ts', import.meta.url))

/** Starts `pnpm sim …` as a real process, the way a developer would (minus pnpm itself). */
function sim(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', cliPath, ...args], { cwd: packageDir, env: { ...process.env, IOC_MQTT_URL: '' } })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exit = once(child, 'exit').then(([code]) => code as number | null)
  const printed = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(stdout)) resolve()
      }
      child.stdout.on('data', check)
      void exit.then(() => reject(new Error(`exited before printing ${pattern}:\n${stdout}${stderr}`)))
      check()
    })
  return { child, exit, printed, output: () => ({ stdout, stderr }) }
}

/**
 * Each test starts a real process through tsx: a second or two on an idle machine, but measured at over
 * 20 s with both cores busy and other suites running. A safety net, not an expectation.
 */
const PROCESS_TEST_MS = 90_000

describe('pnpm sim', () => {
  it('exits with code 2 and lists the scenarios for an unknown one', async () => {
    const run = sim(['nonsense'])
    expect(await run.exit).toBe(2)
    expect(run.output().stderr).toMatch(/unknown scenario "nonsense"; choose one of: calm, storm, load/)
  }, PROCESS_TEST_MS)

  it('runs until SIGTERM, then stops cleanly with code 0', async () => {
    const run = sim(['storm', '--rate', '50'])
    await run.printed(/connected to mqtt:\/\/127\.0\.0\.1:1883/)
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
    expect(run.output().stdout).toMatch(/SIGTERM: stopping[\s\S]*done: \d+ messages acknowledged by the broker/)
  }, PROCESS_TEST_MS)
})
