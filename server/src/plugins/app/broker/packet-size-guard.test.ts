import { describe, expect, it } from 'vitest'
import { MAX_SNAPSHOT_BYTES, parseSnapshotTopic } from '@ioc/shared'
import { FixedHeaderReader, connectClientId, publishHead, type LargePublish } from './packet-size-guard.ts'

/** MQTT's remaining-length encoding: 7 bits a byte, least significant first. */
function varint(n: number): number[] {
  const bytes: number[] = []
  do {
    let byte = n % 128
    n = Math.floor(n / 128)
    if (n > 0) byte |= 0x80
    bytes.push(byte)
  } while (n > 0)
  return bytes
}
const str = (s: string) => [s.length >> 8, s.length & 0xff, ...Buffer.from(s)]
/** A whole packet: first byte, remaining length, body. */
const packet = (first: number, body: number[] | Buffer) => Buffer.from([first, ...varint(body.length), ...body])
const publish = (topic: string, payload: Buffer, qos = 1) => packet(0x30 | (qos << 1), [...str(topic), ...(qos > 0 ? [0, 1] : []), ...payload])

describe('FixedHeaderReader', () => {
  it('lets packets up to the limit through, however the stream is cut', () => {
    const stream = Buffer.concat([packet(0x10, Buffer.alloc(200, 1)), publish('ioc/v1/flood/a/reading', Buffer.alloc(900, 2)), packet(0xc0, []), publish('t', Buffer.alloc(1016, 3))])
    // The biggest is exactly 1024 bytes: 1 + 2 length bytes + 1021.
    for (const size of [1, 2, 3, 7, 64, stream.length]) {
      const reader = new FixedHeaderReader(1024)
      for (let i = 0; i < stream.length; i += size) expect(reader.read(stream.subarray(i, i + size))).toBeUndefined()
    }
  })

  it('refuses a packet whose header declares more, as soon as the header is read — split across chunks too', () => {
    const reader = new FixedHeaderReader(65_536)
    expect(reader.read(packet(0xc0, []))).toBeUndefined()
    // A CONNECT announcing 200 MB, its length arriving one byte at a time, and no body at all.
    const header = Buffer.from([0x10, ...varint(200 * 1024 * 1024)])
    for (const byte of header.subarray(0, -1)) expect(reader.read(Buffer.from([byte]))).toBeUndefined()
    expect(reader.read(header.subarray(-1))).toEqual({ type: 'connect', flags: 0, declaredBytes: 1 + 4 + 200 * 1024 * 1024, head: Buffer.alloc(0) })
  })

  it('hands on at most 4 KB of what arrived of the oversized packet', () => {
    const big = publish('ioc/v1/flood/tam-ky-river/reading', Buffer.alloc(100_000, 7))
    const refused = new FixedHeaderReader(65_536).read(big)
    expect(refused).toMatchObject({ type: 'publish', flags: 2, declaredBytes: big.length })
    expect(refused && 'head' in refused && refused.head.length).toBe(4096)
  })

  it('calls a fifth remaining-length byte malformed', () => {
    expect(new FixedHeaderReader(65_536).read(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toEqual({ type: 'malformed' })
  })
})

describe('FixedHeaderReader with camera snapshots allowed larger', () => {
  const snapshots: LargePublish = { maxPayloadBytes: MAX_SNAPSHOT_BYTES, topicAllowed: (topic) => parseSnapshotTopic(topic) !== null }
  const SNAPSHOT = 'ioc/v1/camera/cam-cau-tam-ky/snapshot'
  const cuts = (stream: Buffer) => [1, 2, 3, 5, 64, 1460, 65_536, stream.length]
  const readAll = (reader: FixedHeaderReader, stream: Buffer, size: number) => {
    for (let i = 0; i < stream.length; i += size) {
      const refused = reader.read(stream.subarray(i, i + size))
      if (refused) return refused
    }
    return undefined
  }

  it('lets a snapshot of exactly 512 KB through, at QoS 0 and 1, however the stream is cut — and the packets after it', () => {
    for (const qos of [0, 1]) {
      const stream = Buffer.concat([publish(SNAPSHOT, Buffer.alloc(MAX_SNAPSHOT_BYTES, 9), qos), publish('ioc/v1/flood/a/reading', Buffer.alloc(900, 2)), packet(0xc0, [])])
      for (const size of cuts(stream)) expect(readAll(new FixedHeaderReader(65_536, snapshots), stream, size)).toBeUndefined()
    }
  })

  it('refuses a snapshot one byte above 512 KB once its topic has arrived', () => {
    const big = publish(SNAPSHOT, Buffer.alloc(MAX_SNAPSHOT_BYTES + 1, 9))
    for (const size of cuts(big)) {
      const refused = readAll(new FixedHeaderReader(65_536, snapshots), big, size)
      expect(refused).toMatchObject({ type: 'publish', declaredBytes: big.length })
      expect(publishHead((refused as { head: Buffer }).head, 1)?.topic).toBe(SNAPSHOT)
    }
  })

  it('still refuses a 100 KB publish on any other topic, with what arrived of it', () => {
    const flood = publish('ioc/v1/flood/tam-ky-river/reading', Buffer.alloc(100_000, 7))
    for (const size of cuts(flood)) {
      const refused = readAll(new FixedHeaderReader(65_536, snapshots), flood, size)
      expect(refused).toMatchObject({ type: 'publish', flags: 2, declaredBytes: flood.length })
      expect(publishHead((refused as { head: Buffer }).head, 1)?.topic).toBe('ioc/v1/flood/tam-ky-river/reading')
    }
    // A snapshot topic's look-alikes are not it.
    expect(new FixedHeaderReader(65_536, snapshots).read(publish('ioc/v1/camera/cam-cau-tam-ky/snapshot/x', Buffer.alloc(100_000)))).toMatchObject({ type: 'publish' })
  })

  it('refuses at once what no snapshot could be: far above 512 KB, a long topic, another packet type', () => {
    const header = Buffer.from([0x32, ...varint(5 * 1024 * 1024)])
    expect(new FixedHeaderReader(65_536, snapshots).read(header)).toMatchObject({ type: 'publish', declaredBytes: 1 + 4 + 5 * 1024 * 1024 })
    const longTopic = Buffer.from([0x32, ...varint(100_000), 0x10, 0x00])
    expect(new FixedHeaderReader(65_536, snapshots).read(longTopic)).toMatchObject({ type: 'publish' })
    expect(new FixedHeaderReader(65_536, snapshots).read(Buffer.from([0x10, ...varint(100_000)]))).toMatchObject({ type: 'connect' })
  })
})

describe('what an oversized packet says of itself', () => {
  it("reads a PUBLISH's topic and the start of its payload", () => {
    const refused = new FixedHeaderReader(20).read(publish('ioc/v1/flood/tam-ky-river/reading', Buffer.from('{"waterLevelCm":')))
    const body = refused && 'head' in refused ? refused.head : Buffer.alloc(0)
    expect(publishHead(body, 1)).toEqual({ topic: 'ioc/v1/flood/tam-ky-river/reading', payload: Buffer.from('{"waterLevelCm":') })
    expect(publishHead(body.subarray(0, 5), 1)).toBeUndefined()
  })

  it("reads a CONNECT's client id, and nothing when it has not arrived", () => {
    const body = [...str('MQTT'), 4, 0xc2, 0, 60, ...str('tam-ky-river.1'), ...str('tam-ky-river'), ...str('secret')]
    expect(connectClientId(Buffer.from(body))).toBe('tam-ky-river.1')
    expect(connectClientId(Buffer.from(body.slice(0, 12)))).toBeUndefined()
  })
})
