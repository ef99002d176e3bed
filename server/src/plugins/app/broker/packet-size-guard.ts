import type { Socket } from 'node:net'

/**
 * Refuses MQTT packets bigger than a limit as soon as their fixed header announces them.
 *
 * Aedes 1.2.0 and its parser (mqtt-packet 9) have no size limit: they buffer whatever length a packet's
 * header declares until it has all arrived — before login for a CONNECT, so anyone who can open a
 * connection could make the server hold hundreds of megabytes. This reads the same bytes Aedes reads,
 * decoding only each packet's fixed header (a type byte and a 1–4 byte remaining length) and skipping
 * its body, so it costs next to nothing and holds nothing.
 */

/** MQTT control packet types, by the high four bits of a packet's first byte (15 is MQTT 5's AUTH). */
const PACKET_TYPES = ['reserved', 'connect', 'connack', 'publish', 'puback', 'pubrec', 'pubrel', 'pubcomp', 'subscribe', 'suback', 'unsubscribe', 'unsuback', 'pingreq', 'pingresp', 'disconnect', 'auth'] as const
export type PacketType = (typeof PACKET_TYPES)[number]

/** At most this much of an oversized packet's body is handed on (what a dead letter may keep). */
export const OVERSIZED_HEAD_BYTES = 4096

export interface OversizedPacket {
  type: PacketType
  /** The low four bits of the packet's first byte (a PUBLISH's QoS is `(flags >> 1) & 3`). */
  flags: number
  /** The whole packet's size as its header declares it: fixed header and remaining length. */
  declaredBytes: number
  /** What had already arrived of the packet after its fixed header (at most 4 KB; often less). */
  head: Buffer
}

/** A remaining length of more than four bytes: not MQTT, and nothing after it can be framed. */
export interface MalformedHeader {
  type: 'malformed'
}

/**
 * Follows the packet boundaries of one connection's byte stream. A header split across chunks is
 * carried over; a body is skipped by counting.
 */
export class FixedHeaderReader {
  /** Body bytes of the current packet still to come. */
  private skip = 0
  /** The current header's first byte (-1: the next byte starts a packet). */
  private first = -1
  private remaining = 0
  private lengthBytes = 0

  constructor(private readonly maxBytes: number) {}

  /** Reads the next chunk; returns the first packet over the limit (or a broken header), if any. */
  read(chunk: Buffer): OversizedPacket | MalformedHeader | undefined {
    let i = 0
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i)
        this.skip -= n
        i += n
        continue
      }
      const byte = chunk[i++]!
      if (this.first < 0) {
        this.first = byte
        this.remaining = 0
        this.lengthBytes = 0
        continue
      }
      // The remaining length: 7 bits a byte, least significant first; the top bit says another follows.
      this.remaining += (byte & 0x7f) * 128 ** this.lengthBytes
      this.lengthBytes++
      if (byte & 0x80) {
        if (this.lengthBytes === 4) return { type: 'malformed' }
        continue
      }
      const first = this.first
      const declaredBytes = 1 + this.lengthBytes + this.remaining
      this.first = -1
      if (declaredBytes > this.maxBytes) {
        return { type: PACKET_TYPES[first >> 4]!, flags: first & 0x0f, declaredBytes, head: Buffer.from(chunk.subarray(i, i + Math.min(this.remaining, OVERSIZED_HEAD_BYTES))) }
      }
      this.skip = this.remaining
    }
    return undefined
  }
}

/**
 * Watches what the broker reads from `socket` and destroys the socket the moment a packet's header
 * declares more than `maxBytes` (or is broken). Attach it right after `aedes.handle(socket)`: Aedes
 * reads with `read()` on 'readable', and a stream with a 'readable' listener emits 'data' from inside
 * each `read()`, before the bytes reach Aedes's parser — so the guard sees every chunk first, and at
 * most the chunk holding the header (up to 64 KB) is ever buffered.
 */
export function guardPacketSize(socket: Socket, maxBytes: number, onRefused: (packet: OversizedPacket | MalformedHeader) => void): void {
  const reader = new FixedHeaderReader(maxBytes)
  const onData = (chunk: Buffer) => {
    const refused = reader.read(chunk)
    if (!refused) return
    socket.off('data', onData)
    socket.destroy()
    onRefused(refused)
  }
  socket.on('data', onData)
}

/** A length-prefixed MQTT string at `offset`, if it has arrived whole. */
function readString(buffer: Buffer, offset: number): { value: string; next: number } | undefined {
  if (offset + 2 > buffer.length) return undefined
  const end = offset + 2 + buffer.readUInt16BE(offset)
  if (end > buffer.length) return undefined
  return { value: buffer.toString('utf8', offset + 2, end), next: end }
}

/**
 * What can be said of an oversized PUBLISH from the bytes already read: its topic, and the start of its
 * payload (after the packet id, at QoS 1 and 2). MQTT 5 properties are not skipped: Aedes speaks 3.1.1.
 */
export function publishHead(head: Buffer, qos: number): { topic: string; payload: Buffer } | undefined {
  const topic = readString(head, 0)
  if (!topic) return undefined
  const payloadStart = topic.next + (qos > 0 ? 2 : 0)
  return { topic: topic.value, payload: head.subarray(Math.min(payloadStart, head.length)) }
}

/** The client id of an oversized CONNECT, if its first bytes hold it (MQTT 3.1 and 3.1.1; never the password). */
export function connectClientId(head: Buffer): string | undefined {
  const protocol = readString(head, 0)
  // Protocol level, connect flags and keep-alive come before the client id.
  return protocol && readString(head, protocol.next + 4)?.value
}
