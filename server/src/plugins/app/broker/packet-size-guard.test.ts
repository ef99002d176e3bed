import { describe, expect, it } from 'vitest'
import { FixedHeaderReader, connectClientId, publishHead } from './packet-size-guard.ts'

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
