import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeMessage, EARLIEST_TS_MS, RejectReason, type DecodeOptions } from './ingest-validation.ts'

const NOW = Date.parse('2024-10-30T07:00:00Z')
const FIVE_MINUTES = 5 * 60_000
const FLOOD = 'ioc/v1/flood/tam-ky-river/reading'
const CAMERA = 'ioc/v1/camera/cam-cau-tam-ky/status'
const KNOWN_REASONS = new Set<string>(Object.values(RejectReason))

function options(overrides: Partial<DecodeOptions> = {}): DecodeOptions {
  return {
    now: NOW,
    isKnownStation: (id) => id === 'tam-ky-river',
    isKnownCamera: (id) => id === 'cam-cau-tam-ky',
    ...overrides,
  }
}

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value))

function rejection(topic: string, payload: Uint8Array, opts: DecodeOptions = options()) {
  const decoded = decodeMessage(topic, payload, opts)
  if (decoded.ok) throw new Error(`expected a rejection, got ${JSON.stringify(decoded)}`)
  return decoded
}

describe('decodeMessage: accepted flood readings', () => {
  it('normalises an ISO timestamp with an offset to a UTC ISO string and epoch ms', () => {
    const decoded = decodeMessage(FLOOD, json({ ts: '2024-10-30T13:55:00+07:00', waterLevelCm: 182.5 }), options())
    expect(decoded).toStrictEqual({
      ok: true,
      kind: 'flood',
      tsMs: Date.parse('2024-10-30T06:55:00Z'),
      reading: { stationId: 'tam-ky-river', ts: '2024-10-30T06:55:00.000Z', waterLevelCm: 182.5 },
    })
  })

  it('normalises an epoch-ms timestamp to an ISO string', () => {
    const tsMs = Date.parse('2024-10-30T06:55:00Z')
    const decoded = decodeMessage(FLOOD, json({ ts: tsMs, waterLevelCm: 40 }), options())
    expect(decoded).toMatchObject({ ok: true, tsMs, reading: { ts: '2024-10-30T06:55:00.000Z' } })
  })

  it('copies rainfall, battery and sequence number when the sensor sends them', () => {
    const decoded = decodeMessage(FLOOD, json({ ts: NOW, waterLevelCm: 150, rainfallMm: 12.4, batteryPct: 87, seq: 42 }), options())
    expect(decoded.ok && decoded.kind === 'flood' && decoded.reading).toStrictEqual({
      stationId: 'tam-ky-river',
      ts: new Date(NOW).toISOString(),
      waterLevelCm: 150,
      rainfallMm: 12.4,
      batteryPct: 87,
      seq: 42,
    })
  })

  it('leaves optional fields out of the reading when the sensor does not send them', () => {
    const decoded = decodeMessage(FLOOD, json({ ts: NOW, waterLevelCm: 150 }), options())
    expect(decoded.ok && decoded.kind === 'flood' && Object.keys(decoded.reading).sort()).toEqual(['stationId', 'ts', 'waterLevelCm'])
  })

  it('accepts a reading with unknown extra properties and does not copy them', () => {
    const decoded = decodeMessage(FLOOD, json({ ts: NOW, waterLevelCm: 150, firmware: '2.1.0', tempC: 29 }), options())
    expect(decoded.ok).toBe(true)
    expect(decoded.ok && decoded.kind === 'flood' && decoded.reading).not.toHaveProperty('firmware')
    expect(decoded.ok && decoded.kind === 'flood' && decoded.reading).not.toHaveProperty('tempC')
  })

  it('accepts a negative stage (water below the station datum)', () => {
    const decoded = decodeMessage(FLOOD, json({ ts: NOW, waterLevelCm: -35 }), options())
    expect(decoded).toMatchObject({ ok: true, reading: { waterLevelCm: -35 } })
  })
})

describe('decodeMessage: accepted camera statuses', () => {
  it('decodes a full camera status with the camera id from the topic', () => {
    const payload = { ts: '2024-10-30T06:59:00Z', state: 'degraded', fps: 7.5, bitrateKbps: 850, lastFrameAt: '2024-10-30T06:58:58Z', tamper: true }
    const decoded = decodeMessage(CAMERA, json(payload), options())
    expect(decoded).toStrictEqual({
      ok: true,
      kind: 'camera',
      tsMs: Date.parse('2024-10-30T06:59:00Z'),
      status: {
        cameraId: 'cam-cau-tam-ky',
        ts: '2024-10-30T06:59:00.000Z',
        state: 'degraded',
        fps: 7.5,
        bitrateKbps: 850,
        lastFrameAt: '2024-10-30T06:58:58Z',
        tamper: true,
      },
    })
  })

  it('keeps tamper=false rather than dropping it', () => {
    const decoded = decodeMessage(CAMERA, json({ ts: NOW, state: 'online', tamper: false }), options())
    expect(decoded.ok && decoded.kind === 'camera' && decoded.status.tamper).toBe(false)
  })

  it('leaves optional fields out of a minimal camera status', () => {
    const decoded = decodeMessage(CAMERA, json({ ts: NOW, state: 'offline' }), options())
    expect(decoded.ok && decoded.kind === 'camera' && Object.keys(decoded.status).sort()).toEqual(['cameraId', 'state', 'ts'])
  })
})

describe('decodeMessage: bad_topic', () => {
  it.each([
    ['a topic missing the leaf', 'ioc/v1/flood/tam-ky-river'],
    ['another protocol version', 'ioc/v2/flood/tam-ky-river/reading'],
    ['a flood topic with the camera leaf', 'ioc/v1/flood/tam-ky-river/status'],
    ['a camera topic with the flood leaf', 'ioc/v1/camera/cam-cau-tam-ky/reading'],
    ['an empty device id', 'ioc/v1/flood//reading'],
    ['an extra level', 'ioc/v1/flood/tam-ky-river/reading/extra'],
    ['an unknown device kind', 'ioc/v1/weather/tam-ky-river/reading'],
    ['another root', 'city/v1/flood/tam-ky-river/reading'],
  ])('refuses %s and names the topic', (_, topic) => {
    const result = rejection(topic, json({ ts: NOW, waterLevelCm: 100 }))
    expect(result.reason).toBe('bad_topic')
    expect(result.detail).toContain(`"${topic}"`)
  })

  it('truncates a huge topic in the detail', () => {
    const topic = `ioc/v1/${'x'.repeat(10_000)}`
    const result = rejection(topic, json({ ts: NOW, waterLevelCm: 100 }))
    expect(result.reason).toBe('bad_topic')
    expect(result.detail.length).toBeLessThan(400)
  })
})

describe('decodeMessage: oversized', () => {
  it('refuses a payload over 4096 bytes and names its size and the limit', () => {
    const payload = json({ ts: NOW, waterLevelCm: 100, pad: 'x'.repeat(4096) })
    const result = rejection(FLOOD, payload)
    expect(result.reason).toBe('oversized')
    expect(result.detail).toContain(`${payload.byteLength} bytes`)
    expect(result.detail).toContain('4096')
  })

  it('accepts a payload of exactly 4096 bytes', () => {
    const text = JSON.stringify({ ts: NOW, waterLevelCm: 100 })
    const payload = new TextEncoder().encode(text.padEnd(4096, ' '))
    expect(payload.byteLength).toBe(4096)
    expect(decodeMessage(FLOOD, payload, options()).ok).toBe(true)
  })

  it('honours a configured smaller limit', () => {
    const result = rejection(FLOOD, json({ ts: NOW, waterLevelCm: 100 }), options({ maxBytes: 10 }))
    expect(result.reason).toBe('oversized')
  })
})

describe('decodeMessage: invalid_utf8', () => {
  it('refuses bytes that are not UTF-8', () => {
    const result = rejection(FLOOD, new Uint8Array([0xff, 0xfe]))
    expect(result).toEqual({ ok: false, reason: 'invalid_utf8', detail: expect.stringContaining('UTF-8') })
  })

  it('refuses a JSON payload with a truncated multi-byte character', () => {
    const valid = json({ ts: NOW, waterLevelCm: 100, note: 'Hòa Hương' })
    const broken = new Uint8Array([...valid.slice(0, -6), 0xc3])
    expect(rejection(FLOOD, broken).reason).toBe('invalid_utf8')
  })
})

describe('decodeMessage: malformed_json', () => {
  it('refuses truncated JSON with the parser message', () => {
    const result = rejection(FLOOD, new TextEncoder().encode('{"ts": 1730271600000, "waterLevelCm": '))
    expect(result.reason).toBe('malformed_json')
    expect(result.detail).toMatch(/JSON/i)
  })

  it('refuses a plain-text payload', () => {
    expect(rejection(FLOOD, new TextEncoder().encode('level=182')).reason).toBe('malformed_json')
  })

  it('refuses an empty payload', () => {
    expect(rejection(FLOOD, new Uint8Array()).reason).toBe('malformed_json')
  })
})

describe('decodeMessage: schema', () => {
  it('refuses a water level sent as a string and names the field', () => {
    const result = rejection(FLOOD, json({ ts: NOW, waterLevelCm: '182' }))
    expect(result.reason).toBe('schema')
    expect(result.detail).toContain('/waterLevelCm')
  })

  it('refuses a reading without waterLevelCm and names the missing field', () => {
    const result = rejection(FLOOD, json({ ts: NOW }))
    expect(result.reason).toBe('schema')
    expect(result.detail).toContain('waterLevelCm')
  })

  it('refuses a water level of 1e400 (parsed as Infinity)', () => {
    const result = rejection(FLOOD, new TextEncoder().encode(`{"ts": ${NOW}, "waterLevelCm": 1e400}`))
    expect(result.reason).toBe('schema')
    expect(result.detail).toContain('/waterLevelCm')
  })

  it('refuses a water level of -1e400 (parsed as -Infinity)', () => {
    const result = rejection(FLOOD, new TextEncoder().encode(`{"ts": ${NOW}, "waterLevelCm": -1e400}`))
    expect(result.reason).toBe('schema')
  })

  it('refuses a water level above the physical range (50 m)', () => {
    const result = rejection(FLOOD, json({ ts: NOW, waterLevelCm: 5001 }))
    expect(result.reason).toBe('schema')
    expect(result.detail).toContain('/waterLevelCm')
  })

  it('refuses a water level below the physical range (-10 m)', () => {
    expect(rejection(FLOOD, json({ ts: NOW, waterLevelCm: -1001 })).reason).toBe('schema')
  })

  it('refuses a battery above 100 % and names the field', () => {
    const result = rejection(FLOOD, json({ ts: NOW, waterLevelCm: 100, batteryPct: 101 }))
    expect(result.reason).toBe('schema')
    expect(result.detail).toContain('/batteryPct')
  })

  it('refuses negative rainfall', () => {
    const result = rejection(FLOOD, json({ ts: NOW, waterLevelCm: 100, rainfallMm: -1 }))
    expect(result.detail).toContain('/rainfallMm')
  })

  it('refuses a fractional sequence number', () => {
    const result = rejection(FLOOD, json({ ts: NOW, waterLevelCm: 100, seq: 1.5 }))
    expect(result.detail).toContain('/seq')
  })

  it('accepts a sequence number up to 2^53 − 1, what a bigint column gives back exactly', () => {
    const decoded = decodeMessage(FLOOD, json({ ts: NOW, waterLevelCm: 100, seq: Number.MAX_SAFE_INTEGER }), options())
    expect(decoded.ok && decoded.kind === 'flood' && decoded.reading.seq).toBe(Number.MAX_SAFE_INTEGER)
  })

  // 1e20 is out of PostgreSQL's bigint range: once it reached the store, every write of it failed.
  it.each([
    ['2^53', '9007199254740992'],
    ['1e20', '1e20'],
    ['100000000000000000000', '100000000000000000000'],
    ['1.7976931348623157e308', '1.7976931348623157e308'],
  ])('refuses a sequence number of %s, beyond what the store keeps exactly', (_name, literal) => {
    const result = rejection(FLOOD, new TextEncoder().encode(`{"ts": ${NOW}, "waterLevelCm": 100, "seq": ${literal}}`))
    expect(result.reason).toBe('schema')
    expect(result.detail).toContain('/seq')
  })

  it.each([
    [FLOOD, 'waterLevelCm', {}],
    [FLOOD, 'rainfallMm', { waterLevelCm: 100 }],
    [FLOOD, 'batteryPct', { waterLevelCm: 100 }],
    [CAMERA, 'fps', { state: 'online' }],
    [CAMERA, 'bitrateKbps', { state: 'online' }],
  ])('refuses a huge number (1e308) in %s field %s', (topic, field, rest) => {
    const result = rejection(topic, json({ ts: NOW, ...rest, [field]: 1e308 }))
    expect(result).toMatchObject({ reason: 'schema', detail: expect.stringContaining(`/${field}`) })
  })

  it('refuses a timestamp that is not a date-time', () => {
    const result = rejection(FLOOD, json({ ts: '30/10/2024 07:00', waterLevelCm: 100 }))
    expect(result.reason).toBe('schema')
    expect(result.detail).toContain('/ts')
  })

  it('refuses an ISO timestamp without a time zone', () => {
    expect(rejection(FLOOD, json({ ts: '2024-10-30T07:00:00', waterLevelCm: 100 })).reason).toBe('schema')
  })

  it('refuses a JSON array as the payload', () => {
    const result = rejection(FLOOD, json([NOW, 100]))
    expect(result.reason).toBe('schema')
    expect(result.detail).toContain('(payload)')
  })

  it('refuses an unknown camera state and names the field', () => {
    const result = rejection(CAMERA, json({ ts: NOW, state: 'broken' }))
    expect(result.reason).toBe('schema')
    expect(result.detail).toContain('/state')
  })

  it('refuses a camera tamper flag sent as a string', () => {
    expect(rejection(CAMERA, json({ ts: NOW, state: 'online', tamper: 'yes' })).detail).toContain('/tamper')
  })

  it('validates a camera topic against the camera schema, not the flood one', () => {
    expect(rejection(CAMERA, json({ ts: NOW, waterLevelCm: 100 })).reason).toBe('schema')
  })
})

describe('decodeMessage: unknown devices', () => {
  it('refuses a reading from a station not in the city pack and names it', () => {
    const result = rejection('ioc/v1/flood/ghost-station/reading', json({ ts: NOW, waterLevelCm: 100 }))
    expect(result.reason).toBe('unknown_station')
    expect(result.detail).toContain('"ghost-station"')
  })

  it('refuses a status from a camera not in the city pack and names it', () => {
    const result = rejection('ioc/v1/camera/ghost-cam/status', json({ ts: NOW, state: 'online' }))
    expect(result.reason).toBe('unknown_camera')
    expect(result.detail).toContain('"ghost-cam"')
  })
})

describe('decodeMessage: timestamps', () => {
  it('refuses a reading more than 5 minutes ahead of the server clock', () => {
    const result = rejection(FLOOD, json({ ts: NOW + FIVE_MINUTES + 1, waterLevelCm: 100 }))
    expect(result.reason).toBe('future_timestamp')
    expect(result.detail).toContain(new Date(NOW + FIVE_MINUTES + 1).toISOString())
  })

  it('accepts a reading exactly 5 minutes ahead of the server clock', () => {
    expect(decodeMessage(FLOOD, json({ ts: NOW + FIVE_MINUTES, waterLevelCm: 100 }), options()).ok).toBe(true)
  })

  it('honours a configured clock tolerance', () => {
    const result = rejection(FLOOD, json({ ts: NOW + 1001, waterLevelCm: 100 }), options({ maxFutureMs: 1000 }))
    expect(result.reason).toBe('future_timestamp')
  })

  it('refuses a camera status from the future too', () => {
    expect(rejection(CAMERA, json({ ts: NOW + 3_600_000, state: 'online' })).reason).toBe('future_timestamp')
  })

  it('refuses a reading stamped 1970 (device clock never set)', () => {
    const result = rejection(FLOOD, json({ ts: 0, waterLevelCm: 100 }))
    expect(result.reason).toBe('ancient_timestamp')
    expect(result.detail).toContain('1970-01-01T00:00:00.000Z')
  })

  it('refuses a reading stamped just before 2000', () => {
    expect(rejection(FLOOD, json({ ts: '1999-12-31T23:59:59Z', waterLevelCm: 100 })).reason).toBe('ancient_timestamp')
  })

  it('accepts a reading stamped exactly at 2000-01-01', () => {
    expect(decodeMessage(FLOOD, json({ ts: EARLIEST_TS_MS, waterLevelCm: 100 }), options()).ok).toBe(true)
  })

  // Valid RFC 3339 that Date.parse cannot read: once made decodeMessage throw (RangeError), which the
  // ingest took for a store failure and retried forever, the message never acknowledged.
  it.each([
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['a leap second in another zone', '2017-01-01T06:59:60+07:00'],
    ['an RFC 9557 time-zone suffix', '2024-10-30T07:00:00+07:00[Asia/Ho_Chi_Minh]'],
  ])('refuses %s as schema instead of throwing', (_, ts) => {
    const result = rejection(FLOOD, json({ ts, waterLevelCm: 100 }))
    expect(result.reason).toBe('schema')
    expect(result.detail).toContain('/ts')
    expect(rejection(CAMERA, json({ ts, state: 'online' })).reason).toBe('schema')
  })

  it('refuses an epoch-ms timestamp beyond the range of dates', () => {
    // 1e16 ms is an integer JSON accepts but lies beyond what a Date can hold (8.64e15 ms).
    const result = rejection(FLOOD, json({ ts: 1e16, waterLevelCm: 100 }))
    expect(['future_timestamp', 'schema']).toContain(result.reason)
  })
})

describe('decodeMessage: never throws', () => {
  const fuzzOptions = options({ isKnownStation: () => true })

  function isOkOrKnownReason(topic: string, payload: Uint8Array, opts: DecodeOptions = fuzzOptions): boolean {
    const decoded = decodeMessage(topic, payload, opts)
    return decoded.ok || (KNOWN_REASONS.has(decoded.reason) && decoded.detail.length > 0)
  }

  it('answers ok or a known reason for arbitrary bytes on a flood topic', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (payload) => isOkOrKnownReason(FLOOD, payload)),
      { seed: 42, numRuns: 2000 },
    )
  })

  it('answers ok or a known reason for arbitrary JSON values on a flood topic', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => isOkOrKnownReason(FLOOD, json(value))),
      { seed: 42, numRuns: 2000 },
    )
  })

  it('answers ok or a known reason for arbitrary topics', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (topic) => isOkOrKnownReason(topic, json({ ts: NOW, waterLevelCm: 100 }))),
      { seed: 42, numRuns: 2000 },
    )
  })

  it('answers ok or a known reason for flood-shaped payloads with any timestamp and level', () => {
    const ts = fc.oneof(
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      fc.double({ min: 0, noNaN: true }),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.string(),
    )
    const level = fc.oneof(fc.double(), fc.integer(), fc.constant(null))
    fc.assert(
      fc.property(fc.record({ ts, waterLevelCm: level }), (payload) => isOkOrKnownReason(FLOOD, json(payload))),
      { seed: 42, numRuns: 2000 },
    )
  })

  it('answers ok or a known reason for any RFC 3339 date-time, leap seconds and zone suffixes included', () => {
    const pad = (n: number, width = 2) => String(n).padStart(width, '0')
    const dateTime = fc
      .record({
        year: fc.integer({ min: 0, max: 9999 }),
        month: fc.integer({ min: 1, max: 12 }),
        day: fc.integer({ min: 1, max: 28 }),
        hour: fc.integer({ min: 0, max: 23 }),
        minute: fc.integer({ min: 0, max: 59 }),
        second: fc.integer({ min: 0, max: 60 }),
        fraction: fc.option(fc.stringMatching(/^\.\d{1,12}$/), { nil: '' }),
        zone: fc.constantFrom('Z', 'z', '+07:00', '-00:00', '+23:59', '-12:00'),
        suffix: fc.constantFrom('', '[Asia/Ho_Chi_Minh]', '[!UTC]', '[u-ca=gregory]'),
      })
      .map((t) => `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${t.fraction}${t.zone}${t.suffix}`)
    fc.assert(
      fc.property(dateTime, (ts) => isOkOrKnownReason(FLOOD, json({ ts, waterLevelCm: 100 })) && isOkOrKnownReason(CAMERA, json({ ts, state: 'online' }))),
      { seed: 42, numRuns: 2000 },
    )
  })

  it('accepts only finite, in-range levels with an ISO ts matching tsMs', () => {
    const ts = fc.integer({ min: NOW - 86_400_000, max: NOW + 86_400_000 })
    fc.assert(
      fc.property(fc.record({ ts, waterLevelCm: fc.double() }), (payload) => {
        const decoded = decodeMessage(FLOOD, json(payload), fuzzOptions)
        if (!decoded.ok || decoded.kind !== 'flood') return true
        const { reading, tsMs } = decoded
        return Number.isFinite(reading.waterLevelCm) && reading.waterLevelCm >= -1000 && reading.waterLevelCm <= 5000 && Date.parse(reading.ts) === tsMs
      }),
      { seed: 42, numRuns: 2000 },
    )
  })
})
