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
 * The one exception to the limit: a PUBLISH to a topic allowed larger messages (a camera's snapshot,
 * up to 512 KB), read far enough to see its topic — which may come split across chunks — before it
 * is let through or refused. Nothing else ever is.
 */
export interface LargePublish {
  /** The largest payload such a PUBLISH may carry (its topic and packet id come on top). */
  maxPayloadBytes: number
  topicAllowed(topic: string): boolean
}

/** The longest topic a large PUBLISH may have: `ioc/v1/camera/{63-character id}/snapshot` is 91 bytes. */
const LARGE_TOPIC_MAX_BYTES = 256

/** A large PUBLISH whose topic is still arriving. */
interface PendingPublish {
  first: number
  declaredBytes: number
  remaining: number
  /** What has arrived of its body: the topic's length, then the topic. */
  head: Buffer
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
  private pending: PendingPublish | undefined

  constructor(
    private readonly maxBytes: number,
    private readonly largePublish?: LargePublish,
  ) {}

  /** Reads the next chunk; returns the first packet over the limit (or a broken header), if any. */
  read(chunk: Buffer): OversizedPacket | MalformedHeader | undefined {
    let i = 0
    while (i < chunk.length) {
      if (this.pending) {
        const pending = this.pending
        if (pending.head.length < 2) {
          const take = Math.min(2 - pending.head.length, chunk.length - i)
          pending.head = Buffer.concat([pending.head, chunk.subarray(i, i + take)])
          i += take
          if (pending.head.length < 2) continue
          // The topic's length is known: a topic longer than any allowed one is refused at once.
          if (pending.head.readUInt16BE(0) > LARGE_TOPIC_MAX_BYTES) return this.refusePending(chunk, i)
        }
        const want = 2 + pending.head.readUInt16BE(0)
        const take = Math.min(want - pending.head.length, chunk.length - i)
        pending.head = Buffer.concat([pending.head, chunk.subarray(i, i + take)])
        i += take
        if (pending.head.length < want) continue
        const topic = pending.head.toString('utf8', 2)
        const qos = (pending.first >> 1) & 3
        const payloadBytes = pending.remaining - want - (qos > 0 ? 2 : 0)
        if (!this.largePublish!.topicAllowed(topic) || payloadBytes > this.largePublish!.maxPayloadBytes) return this.refusePending(chunk, i)
        this.skip = pending.remaining - pending.head.length
        this.pending = undefined
        continue
      }
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
        const large = this.largePublish
        // A PUBLISH no larger than an allowed one could be: its topic decides.
        if (first >> 4 === 3 && large && this.remaining <= 2 + LARGE_TOPIC_MAX_BYTES + 2 + large.maxPayloadBytes) {
          this.pending = { first, declaredBytes, remaining: this.remaining, head: Buffer.alloc(0) }
          continue
        }
        return { type: PACKET_TYPES[first >> 4]!, flags: first & 0x0f, declaredBytes, head: Buffer.from(chunk.subarray(i, i + Math.min(this.remaining, OVERSIZED_HEAD_BYTES))) }
      }
      this.skip = this.remaining
    }
    return undefined
  }

  /** The pending PUBLISH refused: what arrived of it, up to 4 KB, handed on. */
  private refusePending(chunk: Buffer, i: number): OversizedPacket {
    const { first, declaredBytes, remaining, head } = this.pending!
    this.pending = undefined
    const more = Math.max(0, Math.min(remaining - head.length, OVERSIZED_HEAD_BYTES - head.length))
    return { type: 'publish', flags: first & 0x0f, declaredBytes, head: Buffer.concat([head, chunk.subarray(i, i + more)]).subarray(0, OVERSIZED_HEAD_BYTES) }
  }
}

/**
 * Watches what the broker reads from `socket` and destroys the socket the moment a packet's header
 * declares more than `maxBytes` (or is broken). Attach it right after `aedes.handle(socket)`: Aedes
 * reads with `read()` on 'readable', and a stream with a 'readable' listener emits 'data' from inside
 * each `read()`, before the bytes reach Aedes's parser — so the guard sees every chunk first, and at
 * most the chunk holding the header (up to 64 KB) is ever buffered — except a `largePublish` let
 * through, which Aedes holds whole (at most its payload limit and its topic).
 */
export function guardPacketSize(socket: Socket, maxBytes: number, onRefused: (packet: OversizedPacket | MalformedHeader) => void, largePublish?: LargePublish): void {
  const reader = new FixedHeaderReader(maxBytes, largePublish)
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
