import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { FastifyBaseLogger } from 'fastify'
import type { Counter } from 'prom-client'
import type { CameraSnapshotEvent, CameraStatus, FloodReading } from '@ioc/shared'
import { sql } from 'kysely'
import { createIocMetrics, type IocMetrics } from '../metrics/metrics.plugin.ts'
import { createCameraStatusesRepository } from '../readings/camera-statuses.repository.ts'
import { createReadingsRepository } from '../readings/readings.repository.ts'
import { createSnapshotsRepository } from '../snapshots/snapshots.repository.ts'
import { openDatabase } from '../storage/database-handle.ts'
import { createDeadLettersRepository } from './dead-letters.repository.ts'
import { createDomainEvents } from '../events/domain-events.ts'
import { createIngestService } from './ingest.service.ts'

const NOW = Date.parse('2024-10-30T07:00:00Z')
const FLOOD = 'ioc/v1/flood/tam-ky-river/reading'
const CAMERA = 'ioc/v1/camera/cam-cau-tam-ky/status'
const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value))

/** A logger that prints nothing and remembers its warnings and errors. */
function silentLogger(): { log: FastifyBaseLogger; warnings: unknown[]; errors: unknown[] } {
  const warnings: unknown[] = []
  const errors: unknown[] = []
  const noop = () => undefined
  const log = {
    level: 'silent',
    fatal: noop,
    error: (fields: unknown) => errors.push(fields),
    warn: (fields: unknown) => warnings.push(fields),
    info: noop,
    debug: noop,
    trace: noop,
    silent: noop,
    child: () => log,
  } as unknown as FastifyBaseLogger
  return { log, warnings, errors }
}

/** A real SQLite database in a fresh directory with the repositories the ingest writes to, closed and removed when the test ends. */
async function freshStore() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-ingest-test-'))
  const database = await openDatabase({ dataDir })
  onTestFinished(async () => {
    await database.close().catch(() => undefined)
    rmSync(dataDir, { recursive: true, force: true })
  })
  return {
    database,
    readings: createReadingsRepository(database.db),
    cameraStatuses: createCameraStatusesRepository(database.db),
    snapshots: createSnapshotsRepository({ db: database.db, dir: join(dataDir, 'snapshots') }),
    deadLetters: createDeadLettersRepository(database.db),
  }
}
type Store = Awaited<ReturnType<typeof freshStore>>

async function setup(given?: Store) {
  const store = given ?? (await freshStore())
  const metrics = createIocMetrics()
  const { log, warnings, errors } = silentLogger()
  const readings: FloodReading[] = []
  const statuses: CameraStatus[] = []
  const snapshots: CameraSnapshotEvent[] = []
  const events = createDomainEvents(log)
  events.on('camera.snapshot', (snapshot) => snapshots.push(snapshot))
  events.on('reading.stored', (reading) => readings.push(reading))
  events.on('camera.status', (status) => statuses.push(status))
  const service = createIngestService({
    readings: store.readings,
    cameraStatuses: store.cameraStatuses,
    snapshots: store.snapshots,
    deadLetters: store.deadLetters,
    metrics,
    log,
    isKnownStation: (id) => id === 'tam-ky-river',
    isKnownCamera: (id) => id === 'cam-cau-tam-ky',
    events,
    now: () => NOW,
  })
  return { service, store, metrics, warnings, errors, readings, statuses, snapshots }
}

async function counterValue(counter: Counter<string>, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get()
  return values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))?.value ?? 0
}

describe('ingest of a valid reading', () => {
  it('stores it and says "stored"', async () => {
    const { service, store } = await setup()
    expect(await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }))).toBe('stored')
    expect((await store.readings.latest(['tam-ky-river'])).get('tam-ky-river')).toEqual({ ts: '2024-10-30T07:00:00.000Z', waterLevelCm: 182 })
  })

  it('emits the stored reading once', async () => {
    const { service, readings } = await setup()
    await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182, rainfallMm: 3 }))
    expect(readings).toEqual([{ stationId: 'tam-ky-river', ts: '2024-10-30T07:00:00.000Z', waterLevelCm: 182, rainfallMm: 3 }])
  })

  it('counts it as stored, by kind', async () => {
    const { service, metrics } = await setup()
    await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }))
    expect(await counterValue(metrics.ingestStored, { kind: 'flood' })).toBe(1)
  })
})

describe('ingest of a redelivered reading', () => {
  it('stores a redelivered reading once and says "duplicate"', async () => {
    const { service, store } = await setup()
    await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }))
    expect(await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }))).toBe('duplicate')
    expect(await store.readings.count()).toBe(1)
  })

  it('does not emit a redelivered reading again', async () => {
    const { service, readings } = await setup()
    await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }))
    await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }))
    expect(readings).toHaveLength(1)
  })

  it('counts the redelivery as a duplicate', async () => {
    const { service, metrics } = await setup()
    await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }))
    await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }))
    expect(await counterValue(metrics.ingestDuplicates, { kind: 'flood' })).toBe(1)
  })

  it('treats the same instant written as ISO and as epoch ms as one reading', async () => {
    const { service } = await setup()
    await service.handle(FLOOD, json({ ts: '2024-10-30T14:00:00+07:00', waterLevelCm: 182 }))
    expect(await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }))).toBe('duplicate')
  })
})

describe('ingest of a bad message', () => {
  it('says "rejected" and keeps a dead letter with the reason and the raw bytes', async () => {
    const { service, store } = await setup()
    const payload = json({ ts: NOW, waterLevelCm: 'high' })
    expect(await service.handle(FLOOD, payload)).toBe('rejected')
    const [letter] = await store.deadLetters.list(10)
    expect(letter).toMatchObject({ topic: FLOOD, reason: 'schema', receivedAt: '2024-10-30T07:00:00.000Z', detail: expect.stringContaining('/waterLevelCm') })
    expect(Buffer.from(letter!.payloadBase64, 'base64')).toEqual(Buffer.from(payload))
  })

  it('counts the rejection labelled by its reason', async () => {
    const { service, metrics } = await setup()
    await service.handle('ioc/v1/flood/ghost/reading', json({ ts: NOW, waterLevelCm: 100 }))
    await service.handle(FLOOD, new Uint8Array([0xff, 0xfe]))
    expect({
      unknownStation: await counterValue(metrics.ingestRejected, { reason: 'unknown_station' }),
      invalidUtf8: await counterValue(metrics.ingestRejected, { reason: 'invalid_utf8' }),
      schema: await counterValue(metrics.ingestRejected, { reason: 'schema' }),
    }).toEqual({ unknownStation: 1, invalidUtf8: 1, schema: 0 })
  })

  it('stores and emits nothing for a rejected message', async () => {
    const { service, store, readings, statuses } = await setup()
    await service.handle(FLOOD, json({ ts: NOW }))
    expect({ stored: await store.readings.count(), readings: readings.length, statuses: statuses.length }).toEqual({ stored: 0, readings: 0, statuses: 0 })
  })

  it('judges timestamps against the injected clock', async () => {
    const { service, store } = await setup()
    await service.handle(FLOOD, json({ ts: NOW + 60 * 60_000, waterLevelCm: 100 }))
    expect((await store.deadLetters.list(1))[0]?.reason).toBe('future_timestamp')
  })

  it('logs one warning for a burst of the same rejection', async () => {
    const { service, warnings } = await setup()
    for (let i = 0; i < 5; i++) await service.handle(FLOOD, json({ ts: NOW + i, waterLevelCm: 'x' }))
    expect(warnings).toHaveLength(1)
  })

  it('rejects, rather than failing on, a reading stamped beyond the range of dates', async () => {
    const { service } = await setup()
    await expect(service.handle(FLOOD, json({ ts: 1e16, waterLevelCm: 100 }))).resolves.toBe('rejected')
  })
})

describe('a message refused before the ingest saw it (the embedded broker: a topic not allowed)', () => {
  it('is kept as a dead letter with its reason, counted, and logged once a minute like any refusal', async () => {
    const { service, store, metrics, warnings, readings } = await setup()
    const refusal = { topic: 'ioc/v1/flood/other-station/reading', payload: json({ ts: NOW, waterLevelCm: 100 }), reason: 'unauthorized_topic', detail: 'device "tam-ky-river" may not publish to this topic' }
    expect(await service.refuse(refusal)).toBe('rejected')
    await service.refuse(refusal)
    const letters = await store.deadLetters.list(10)
    expect({
      letters: letters.map((l) => [l.topic, l.reason, l.detail, l.receivedAt]),
      counted: await counterValue(metrics.ingestRejected, { reason: 'unauthorized_topic' }),
      warnings: warnings.length,
      emitted: readings.length,
    }).toEqual({
      letters: [
        [refusal.topic, 'unauthorized_topic', refusal.detail, '2024-10-30T07:00:00.000Z'],
        [refusal.topic, 'unauthorized_topic', refusal.detail, '2024-10-30T07:00:00.000Z'],
      ],
      counted: 2,
      warnings: 1,
      emitted: 0,
    })
  })
})

describe('ingest of a mixed stream', () => {
  it('stores every valid reading interleaved with bad ones', async () => {
    const { service, store, readings } = await setup()
    const bad = [new Uint8Array([0xff]), json({ ts: NOW }), new TextEncoder().encode('{'), json({ ts: 0, waterLevelCm: 1 })]
    const outcomes: string[] = []
    for (let i = 0; i < 8; i++) {
      outcomes.push(await service.handle(FLOOD, json({ ts: NOW - i * 60_000, waterLevelCm: 100 + i })))
      outcomes.push(await service.handle(i % 2 ? 'ioc/v1/flood/ghost/reading' : FLOOD, bad[i % bad.length]!))
    }
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(8)
    expect({ stored: await store.readings.count(), emitted: readings.length, letters: (await store.deadLetters.list(100)).length }).toEqual({ stored: 8, emitted: 8, letters: 8 })
  })
})

describe('ingest of a camera status', () => {
  it('stores it, says "stored" and emits it', async () => {
    const { service, store, statuses } = await setup()
    expect(await service.handle(CAMERA, json({ ts: NOW, state: 'offline', tamper: true }))).toBe('stored')
    expect((await store.cameraStatuses.latest(['cam-cau-tam-ky'])).get('cam-cau-tam-ky')).toEqual({ ts: '2024-10-30T07:00:00.000Z', state: 'offline', tamper: true })
    expect(statuses).toEqual([{ cameraId: 'cam-cau-tam-ky', ts: '2024-10-30T07:00:00.000Z', state: 'offline', tamper: true }])
  })

  it('does not emit a redelivered camera status again', async () => {
    const { service, statuses } = await setup()
    await service.handle(CAMERA, json({ ts: NOW, state: 'online' }))
    expect(await service.handle(CAMERA, json({ ts: NOW, state: 'online' }))).toBe('duplicate')
    expect(statuses).toHaveLength(1)
  })
})

describe('ingest of a redelivery the cluster may have stored without passing on', () => {
  it('passes a duplicate reading on again when told to republish it, still counting it as a duplicate', async () => {
    const { service, readings, metrics } = await setup()
    await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }))
    expect(await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }), { republishDuplicate: true })).toBe('duplicate')
    expect(readings).toEqual([
      { stationId: 'tam-ky-river', ts: '2024-10-30T07:00:00.000Z', waterLevelCm: 182 },
      { stationId: 'tam-ky-river', ts: '2024-10-30T07:00:00.000Z', waterLevelCm: 182 },
    ])
    expect(await counterValue(metrics.ingestDuplicates, { kind: 'flood' })).toBe(1)
  })

  it('does not pass a duplicate reading on when told not to republish it', async () => {
    const { service, readings } = await setup()
    await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }))
    expect(await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }), { republishDuplicate: false })).toBe('duplicate')
    expect(readings).toHaveLength(1)
  })

  it('passes a duplicate camera status on again when told to republish it, still counting it as a duplicate', async () => {
    const { service, statuses, metrics } = await setup()
    await service.handle(CAMERA, json({ ts: NOW, state: 'online' }))
    expect(await service.handle(CAMERA, json({ ts: NOW, state: 'online' }), { republishDuplicate: true })).toBe('duplicate')
    expect(statuses).toEqual([
      { cameraId: 'cam-cau-tam-ky', ts: '2024-10-30T07:00:00.000Z', state: 'online' },
      { cameraId: 'cam-cau-tam-ky', ts: '2024-10-30T07:00:00.000Z', state: 'online' },
    ])
    expect(await counterValue(metrics.ingestDuplicates, { kind: 'camera' })).toBe(1)
  })

  it('passes a newly stored message on once, republish or not', async () => {
    const { service, readings } = await setup()
    expect(await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }), { republishDuplicate: true })).toBe('stored')
    expect(readings).toHaveLength(1)
  })
})

describe('ingest when the store fails', () => {
  it('fails the message when the store is closed, so the broker redelivers it', async () => {
    const { service, store } = await setup()
    await store.database.close()
    await expect(service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }))).rejects.toThrow()
  })

  it('fails a bad message too when its dead letter cannot be kept', async () => {
    const { service, store } = await setup()
    await store.database.close()
    await expect(service.handle(FLOOD, json({ ts: NOW }))).rejects.toThrow()
  })

  it('neither emits nor counts as stored a reading the store could not write', async () => {
    const real = await freshStore()
    const diskFull = async () => Promise.reject(new Error('disk full'))
    const failing: Store = { ...real, readings: { ...real.readings, insert: diskFull, insertBatch: diskFull } }
    const { service, metrics, readings } = await setup(failing)
    await expect(service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 182 }))).rejects.toThrow('disk full')
    expect({ emitted: readings.length, stored: await counterValue(metrics.ingestStored, { kind: 'flood' }) }).toEqual({ emitted: 0, stored: 0 })
  })
})

describe('ingest of a group of messages (group commit)', () => {
  const flood = (tsMs: number, waterLevelCm: unknown) => ({ topic: FLOOD, payload: json({ ts: tsMs, waterLevelCm }), redelivered: false })

  it('stores a group at once, one outcome per message in order, and publishes the new readings in arrival order', async () => {
    const { service, store, readings, statuses } = await setup()
    const outcomes = await service.handleBatch([
      flood(NOW - 3000, 100),
      { topic: CAMERA, payload: json({ ts: NOW, state: 'offline' }), redelivered: false },
      flood(NOW - 2000, 'high'),
      flood(NOW - 1000, 102),
      flood(NOW - 3000, 100),
    ])
    expect(outcomes).toEqual(['stored', 'stored', 'rejected', 'stored', 'duplicate'])
    expect(readings.map((r) => r.waterLevelCm)).toEqual([100, 102])
    expect(statuses.map((s) => s.state)).toEqual(['offline'])
    expect(await store.readings.count()).toBe(2)
    expect((await store.deadLetters.list(10)).map((l) => l.reason)).toEqual(['schema'])
  })

  it('refuses only the message the store refuses and stores the rest of its group', async () => {
    const { service, store, metrics, readings } = await setup()
    await sql.raw(`CREATE TRIGGER refuse_level BEFORE INSERT ON readings WHEN NEW.water_level_cm > 1000 BEGIN SELECT RAISE(ABORT, 'implausible level'); END`).execute(store.database.db)
    const outcomes = await service.handleBatch([flood(NOW - 3000, 100), flood(NOW - 2000, 4000), flood(NOW - 1000, 102)])
    expect(outcomes).toEqual(['stored', 'rejected', 'stored'])
    expect(readings.map((r) => r.waterLevelCm)).toEqual([100, 102])
    expect((await store.deadLetters.list(10)).map((l) => l.reason)).toEqual(['store_rejected'])
    expect(await counterValue(metrics.ingestStored, { kind: 'flood' })).toBe(2)
  })

  it('when a later step fails for now, the same group passed again stores, counts and publishes nothing twice', async () => {
    const { service, store, metrics, readings } = await setup()
    // The readings go in; the dead letter of the bad one cannot be written for now.
    await sql`ALTER TABLE dead_letters RENAME TO dead_letters_away`.execute(store.database.db)
    const group = [flood(NOW - 2000, 100), flood(NOW - 1000, 'high')]
    await expect(service.handleBatch(group)).rejects.toThrow(/no such table/)
    await sql`ALTER TABLE dead_letters_away RENAME TO dead_letters`.execute(store.database.db)
    expect(await service.handleBatch(group)).toEqual(['stored', 'rejected'])
    expect({ published: readings.length, stored: await counterValue(metrics.ingestStored, { kind: 'flood' }), duplicates: await counterValue(metrics.ingestDuplicates, { kind: 'flood' }) }).toEqual({ published: 1, stored: 1, duplicates: 0 })
  })

  it('publishes a redelivered duplicate in a group once more, and a plain duplicate not', async () => {
    const { service, readings } = await setup()
    await service.handleBatch([flood(NOW - 2000, 100), flood(NOW - 1000, 101)])
    expect(await service.handleBatch([{ ...flood(NOW - 2000, 100), redelivered: true }, flood(NOW - 1000, 101)])).toEqual(['duplicate', 'duplicate'])
    expect(readings.map((r) => r.waterLevelCm)).toEqual([100, 101, 100])
  })
})

/** ioc_ingest_dead_letters_lost_total for a reason, as /metrics shows it. */
async function lostDeadLetters(metrics: IocMetrics, reason: string): Promise<number> {
  const counter = metrics.registry.getSingleMetric('ioc_ingest_dead_letters_lost_total') as Counter<string> | undefined
  return counter ? counterValue(counter, { reason }) : 0
}

describe('ingest when the store refuses a message for what it holds', () => {
  /** A rule a database administrator might add: SQLite refuses such a row (SQLITE_CONSTRAINT_TRIGGER) on every try. */
  const refuseLevelsOver = (store: Store, cm: number) => sql.raw(`CREATE TRIGGER refuse_level BEFORE INSERT ON readings WHEN NEW.water_level_cm > ${cm} BEGIN SELECT RAISE(ABORT, 'implausible level'); END`).execute(store.database.db)

  it('keeps the message as a store_rejected dead letter and says "rejected", instead of failing it to be retried forever', async () => {
    const { service, store, metrics, readings } = await setup()
    await refuseLevelsOver(store, 1000)
    const payload = json({ ts: NOW, waterLevelCm: 4000 })
    expect(await service.handle(FLOOD, payload)).toBe('rejected')
    const [letter] = await store.deadLetters.list(1)
    expect(letter).toMatchObject({ topic: FLOOD, reason: 'store_rejected', detail: expect.stringMatching(/^the store refused it: SQLITE_CONSTRAINT_TRIGGER implausible level/) })
    expect(Buffer.from(letter!.payloadBase64, 'base64')).toEqual(Buffer.from(payload))
    expect({ rejected: await counterValue(metrics.ingestRejected, { reason: 'store_rejected' }), stored: await counterValue(metrics.ingestStored, { kind: 'flood' }), emitted: readings.length }).toEqual({ rejected: 1, stored: 0, emitted: 0 })
  })

  it('stores the valid readings that follow it', async () => {
    const { service, store } = await setup()
    await refuseLevelsOver(store, 1000)
    await service.handle(FLOOD, json({ ts: NOW - 2000, waterLevelCm: 4000 }))
    expect(await service.handle(FLOOD, json({ ts: NOW - 1000, waterLevelCm: 180 }))).toBe('stored')
    expect(await store.readings.count('tam-ky-river')).toBe(1)
  })

  it('acknowledges a refused message whose dead letter the store refuses too: logged as an error and counted, not retried forever', async () => {
    const { service, store, metrics, errors } = await setup()
    await sql`CREATE TRIGGER refuse_letters BEFORE INSERT ON dead_letters BEGIN SELECT RAISE(ABORT, 'no more letters'); END`.execute(store.database.db)
    expect(await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 'high' }))).toBe('rejected')
    expect({ lost: await lostDeadLetters(metrics, 'schema'), rejected: await counterValue(metrics.ingestRejected, { reason: 'schema' }) }).toEqual({ lost: 1, rejected: 1 })
    expect(errors).toEqual([expect.objectContaining({ reason: 'schema', topic: FLOOD, storeError: 'SQLITE_CONSTRAINT_TRIGGER no more letters' })])
    expect(await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 180 }))).toBe('stored')
  })

  it('still fails a message whose dead letter the store cannot write for now (a table missing), so it is retried', async () => {
    const { service, store } = await setup()
    await sql`ALTER TABLE dead_letters RENAME TO dead_letters_away`.execute(store.database.db)
    await expect(service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 'high' }))).rejects.toThrow(/no such table/)
    await sql`ALTER TABLE dead_letters_away RENAME TO dead_letters`.execute(store.database.db)
    expect(await service.handle(FLOOD, json({ ts: NOW, waterLevelCm: 'high' }))).toBe('rejected')
    expect((await store.deadLetters.list(10)).map((l) => l.reason)).toEqual(['schema'])
  })
})

describe('ingest when the validator itself fails', () => {
  it('refuses the message as decode_error and keeps it, instead of failing like a store error (retried forever)', async () => {
    const store = await freshStore()
    const metrics = createIocMetrics()
    const service = createIngestService({
      readings: store.readings,
      cameraStatuses: store.cameraStatuses,
      snapshots: store.snapshots,
      deadLetters: store.deadLetters,
      metrics,
      log: silentLogger().log,
      isKnownStation: () => {
        throw new Error('pack lookup broke')
      },
      isKnownCamera: () => false,
      events: createDomainEvents(silentLogger().log),
      now: () => NOW,
    })
    const outcome = await service.handle('ioc/v1/flood/tam-ky-river/reading', Buffer.from(JSON.stringify({ ts: NOW - 1000, waterLevelCm: 100 })))
    expect(outcome).toBe('rejected')
    expect(await counterValue(metrics.ingestRejected, { reason: 'decode_error' })).toBe(1)
    expect((await store.deadLetters.list(1)).map((d) => [d.reason, d.detail])).toEqual([['decode_error', 'validator error: pack lookup broke']])
  })
})

describe('ingest of a camera snapshot', () => {
  const SNAPSHOT = 'ioc/v1/camera/cam-cau-tam-ky/snapshot'
  /** The header of a 640×360 baseline JPEG and its end: all the ingest reads of a picture. */
  const picture = (filler = 100) =>
    Uint8Array.from([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 360 >> 8, 360 & 0xff, 640 >> 8, 640 & 0xff, 1, 1, 0x11, 0, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, ...new Array<number>(filler).fill(7), 0xff, 0xd9])

  it('stores the JPEG as it came, taken at its arrival, and publishes camera.snapshot', async () => {
    const { service, store, snapshots, metrics } = await setup()
    expect(await service.handle(SNAPSHOT, picture())).toBe('stored')
    const kept = await store.snapshots.read('cam-cau-tam-ky', 'latest')
    expect(kept?.snapshot).toEqual({ cameraId: 'cam-cau-tam-ky', tsMs: NOW, width: 640, height: 360, bytes: picture().byteLength })
    expect(kept?.jpeg.equals(Buffer.from(picture()))).toBe(true)
    expect(snapshots).toEqual([{ cameraId: 'cam-cau-tam-ky', ts: '2024-10-30T07:00:00.000Z', width: 640, height: 360 }])
    expect(await counterValue(metrics.ingestStored, { kind: 'snapshot' })).toBe(1)
  })

  it('refuses what is not a JPEG, keeping 4 KB of it as a dead letter with the reason', async () => {
    const { service, store, snapshots, metrics } = await setup()
    expect(await service.handle(SNAPSHOT, new Uint8Array(100_000).fill(0x41))).toBe('rejected')
    const [letter] = await store.deadLetters.list(1)
    expect(letter).toMatchObject({ reason: 'bad_snapshot', topic: SNAPSHOT })
    expect(letter!.detail).toMatch(/^not a JPEG.*; payload is 100000 bytes, limit 4096; first 4096 bytes kept$/)
    expect(Buffer.from(letter!.payloadBase64, 'base64').byteLength).toBe(4096)
    expect(snapshots).toEqual([])
    expect(await counterValue(metrics.ingestRejected, { reason: 'bad_snapshot' })).toBe(1)
  })

  it('refuses a picture above 512 KB as oversized, and one of a camera not in the pack', async () => {
    const { service, store } = await setup()
    expect(await service.handle(SNAPSHOT, picture(600_000))).toBe('rejected')
    expect(await service.handle('ioc/v1/camera/cam-nowhere/snapshot', picture())).toBe('rejected')
    expect((await store.deadLetters.list(10)).map((l) => l.reason).sort()).toEqual(['oversized', 'unknown_camera'])
  })
})
