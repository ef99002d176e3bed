import { describe, expect, it } from 'vitest'
import { createThrottledWarn } from './throttled-warn.ts'

const WINDOW = 60_000

/** A logger that only records its warnings, and a clock the test moves by hand. */
function setup() {
  const warnings: { fields: Record<string, unknown>; message: string }[] = []
  const log = { warn: (fields: Record<string, unknown>, message: string) => warnings.push({ fields, message }) }
  const clock = { now: Date.parse('2024-10-30T07:00:00Z') }
  const warn = createThrottledWarn(log, WINDOW, () => clock.now)
  // As the ingest logs a rejection: one window per reason.
  const logReject = (reason: string, topic: string, detail: string) => warn(reason, { reason, topic, detail }, 'ingest rejected a message')
  return { warnings, clock, logReject }
}

describe('createThrottledWarn', () => {
  it('logs the first rejection of a reason with its topic and detail', () => {
    const { warnings, logReject } = setup()
    logReject('schema', 'ioc/v1/flood/tam-ky-river/reading', '/waterLevelCm must be number')
    expect(warnings).toEqual([
      {
        fields: { reason: 'schema', topic: 'ioc/v1/flood/tam-ky-river/reading', detail: '/waterLevelCm must be number', suppressedInLastWindow: 0 },
        message: 'ingest rejected a message',
      },
    ])
  })

  it('stays quiet about repeats of the same reason within the window', () => {
    const { warnings, clock, logReject } = setup()
    logReject('schema', 't', 'first')
    for (let i = 1; i <= 59; i++) {
      clock.now += 1000
      logReject('schema', 't', `repeat ${i}`)
    }
    expect(warnings).toHaveLength(1)
  })

  it('logs the first rejection of another reason even inside a window', () => {
    const { warnings, clock, logReject } = setup()
    logReject('schema', 't', 'd')
    clock.now += 1000
    logReject('unknown_station', 't', 'd')
    expect(warnings.map((w) => w.fields.reason)).toEqual(['schema', 'unknown_station'])
  })

  it('logs the next rejection after the window with how many were suppressed', () => {
    const { warnings, clock, logReject } = setup()
    logReject('schema', 't', 'first')
    for (let i = 0; i < 7; i++) logReject('schema', 't', 'repeat')
    clock.now += WINDOW
    logReject('schema', 't', 'after the window')
    expect(warnings).toHaveLength(2)
    expect(warnings[1]?.fields).toMatchObject({ detail: 'after the window', suppressedInLastWindow: 7 })
  })

  it('starts a new window after logging, so the count restarts', () => {
    const { warnings, clock, logReject } = setup()
    logReject('schema', 't', 'd')
    logReject('schema', 't', 'd')
    clock.now += WINDOW
    logReject('schema', 't', 'd')
    clock.now += WINDOW
    logReject('schema', 't', 'd')
    expect(warnings.map((w) => w.fields.suppressedInLastWindow)).toEqual([0, 1, 0])
  })

  it('does not log a repeat one millisecond before the window ends', () => {
    const { warnings, clock, logReject } = setup()
    logReject('schema', 't', 'd')
    clock.now += WINDOW - 1
    logReject('schema', 't', 'd')
    expect(warnings).toHaveLength(1)
  })
})
