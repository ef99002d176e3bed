import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { cameraSnapshotTopic, cameraStatusTopic, floodReadingTopic, INGEST_SUBSCRIPTION, parseSnapshotTopic, parseTopic, SHARED_INGEST_SUBSCRIPTION } from './topics.ts'

/** Ids as the city pack allows them (DeviceId): lower-case letters, digits and dashes. */
const deviceId = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,62}$/)

describe('topic builders', () => {
  it('builds the flood reading topic of the public interface', () => {
    expect(floodReadingTopic('tam-ky-river')).toBe('ioc/v1/flood/tam-ky-river/reading')
  })

  it('builds the camera status topic of the public interface', () => {
    expect(cameraStatusTopic('cam-cau-tam-ky')).toBe('ioc/v1/camera/cam-cau-tam-ky/status')
  })

  it('subscribes the ingest to everything under ioc/v1', () => {
    expect(INGEST_SUBSCRIPTION).toBe('ioc/v1/#')
    expect(SHARED_INGEST_SUBSCRIPTION).toBe('$share/ioc/ioc/v1/#')
  })
})

describe('parseTopic', () => {
  it('reads the station id from a flood reading topic', () => {
    expect(parseTopic('ioc/v1/flood/cau-xuan-quy/reading')).toEqual({ kind: 'flood', stationId: 'cau-xuan-quy' })
  })

  it('reads the camera id from a camera status topic', () => {
    expect(parseTopic('ioc/v1/camera/cam-bach-dang/status')).toEqual({ kind: 'camera', cameraId: 'cam-bach-dang' })
  })

  it.each([
    'ioc/v1/flood/x',
    'ioc/v2/flood/x/reading',
    'ioc/v1/flood/x/status',
    'ioc/v1/camera/x/reading',
    'ioc/v1/flood//reading',
    'ioc/v1/flood/x/reading/',
    '/ioc/v1/flood/x/reading',
    'IOC/v1/flood/x/reading',
    '',
  ])('returns null for %j', (topic) => {
    expect(parseTopic(topic)).toBeNull()
  })

  it('gives back the station id a flood topic was built from', () => {
    fc.assert(
      fc.property(deviceId, (id) => {
        expect(parseTopic(floodReadingTopic(id))).toEqual({ kind: 'flood', stationId: id })
      }),
      { seed: 42, numRuns: 500 },
    )
  })

  it('gives back the camera id a camera topic was built from', () => {
    fc.assert(
      fc.property(deviceId, (id) => {
        expect(parseTopic(cameraStatusTopic(id))).toEqual({ kind: 'camera', cameraId: id })
      }),
      { seed: 42, numRuns: 500 },
    )
  })
})

describe('camera snapshot topics', () => {
  it('builds and reads the snapshot topic, and nothing else', () => {
    expect(cameraSnapshotTopic('cam-cau-tam-ky')).toBe('ioc/v1/camera/cam-cau-tam-ky/snapshot')
    expect(parseSnapshotTopic('ioc/v1/camera/cam-cau-tam-ky/snapshot')).toBe('cam-cau-tam-ky')
    for (const topic of ['ioc/v1/camera/cam-cau-tam-ky/status', 'ioc/v1/flood/x/snapshot', 'ioc/v1/camera//snapshot', 'ioc/v2/camera/a/snapshot', 'ioc/v1/camera/a/snapshot/x']) {
      expect(parseSnapshotTopic(topic)).toBeNull()
    }
    // A JSON topic parser never mistakes it for a status.
    expect(parseTopic('ioc/v1/camera/cam-cau-tam-ky/snapshot')).toBeNull()
  })
})
