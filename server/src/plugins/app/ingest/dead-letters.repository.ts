import { sql, type Kysely } from 'kysely'
import type { Database } from '../storage/database.ts'

/** A refused MQTT message, kept with its reason so an admin can see what a device sent. */
export interface DeadLetter {
  id: number
  receivedAt: string
  topic: string
  /** The raw payload, base64 (it may not be valid UTF-8): its first 4 KB, when it was larger. */
  payloadBase64: string
  reason: string
  detail: string
}

export interface NewDeadLetter {
  receivedAtMs: number
  topic: string
  payload: Uint8Array
  reason: string
  detail: string
}

/** How many dead letters are kept; older ones are dropped so a misbehaving device cannot fill the disk. */
export const DEAD_LETTER_LIMIT = 10_000
/**
 * How much of a refused payload a dead letter keeps: enough to see what a device sent (the ingest
 * refuses anything larger as `oversized`), while a device's 5 MB publish on an external broker costs
 * the database — and each `GET /api/dead-letters` — 4 KB, not 5 MB. The detail says how big it was.
 */
export const DEAD_LETTER_PAYLOAD_BYTES = 4096
/**
 * How many characters of a dead letter's topic and of its detail are kept: any topic of this IOC fits
 * many times over, while an MQTT topic may be 65,535 bytes and a detail may quote it.
 */
export const DEAD_LETTER_TEXT_CHARS = 1024

const iso = (ms: number) => new Date(ms).toISOString()

/** The first `chars` UTF-16 units of `text`, never ending on half of a surrogate pair. */
function firstChars(text: string, chars: number): string {
  if (text.length <= chars) return text
  const last = text.charCodeAt(chars - 1)
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? chars - 1 : chars)
}

/** A dead letter as it is stored: payload, topic and detail cut to their limits, the detail saying what was cut. */
function keptDeadLetter(letter: NewDeadLetter): { topic: string; payload: Buffer; detail: string } {
  const notes: string[] = []
  const bytes = letter.payload.byteLength
  if (bytes > DEAD_LETTER_PAYLOAD_BYTES) {
    const size = `payload is ${bytes} bytes, limit ${DEAD_LETTER_PAYLOAD_BYTES}`
    // An `oversized` refusal already says so in the same words.
    notes.push(letter.detail.includes(size) ? `first ${DEAD_LETTER_PAYLOAD_BYTES} bytes kept` : `${size}; first ${DEAD_LETTER_PAYLOAD_BYTES} bytes kept`)
  }
  if (letter.topic.length > DEAD_LETTER_TEXT_CHARS) notes.push(`topic is ${letter.topic.length} characters; first ${DEAD_LETTER_TEXT_CHARS} kept`)
  const detail = letter.detail.length > DEAD_LETTER_TEXT_CHARS ? `${firstChars(letter.detail, DEAD_LETTER_TEXT_CHARS)}…` : letter.detail
  return {
    topic: firstChars(letter.topic, DEAD_LETTER_TEXT_CHARS),
    // A copy of the kept part only: the rest of a large payload is not held on to.
    payload: Buffer.from(letter.payload.subarray(0, DEAD_LETTER_PAYLOAD_BYTES)),
    detail: [detail, ...notes].join('; '),
  }
}

/**
 * The dead_letters table: refused messages, newest DEAD_LETTER_LIMIT kept. One per process
 * (`fastify.deadLetters`): it counts the letters recorded since it last trimmed the table.
 */
export function createDeadLettersRepository(db: Kysely<Database>) {
  let sinceTrim = 0
  const trim = async (): Promise<void> => {
    await db
      .deleteFrom('dead_letters')
      .where('id', '<=', (eb) => eb.selectFrom('dead_letters').select(sql<number>`max(id) - ${DEAD_LETTER_LIMIT}`.as('cutoff')))
      .execute()
  }
  return {
    /**
     * Keeps a refused message: at most the first 4 KB of its payload and 1,024 characters of its topic
     * and detail, the detail saying how large what was cut had been (DEAD_LETTER_PAYLOAD_BYTES). Keeps
     * the newest DEAD_LETTER_LIMIT letters (trimming every 100 letters, so up to 100 more for a while).
     */
    async record(letter: NewDeadLetter): Promise<void> {
      // Cut here, so every caller (the ingest, the embedded broker's refusals) is held to the limits.
      const kept = keptDeadLetter(letter)
      await db
        .insertInto('dead_letters')
        .values({ received_at: letter.receivedAtMs, topic: kept.topic, payload: kept.payload, reason: letter.reason, detail: kept.detail })
        .execute()
      if (++sinceTrim >= 100) {
        sinceTrim = 0
        await trim()
      }
    },

    /** The newest `limit` letters, newest first. */
    async list(limit: number): Promise<DeadLetter[]> {
      const rows = await db.selectFrom('dead_letters').selectAll().orderBy('id', 'desc').limit(limit).execute()
      return rows.map(
        (row): DeadLetter => ({
          id: Number(row.id),
          receivedAt: iso(row.received_at),
          topic: row.topic,
          payloadBase64: Buffer.from(row.payload).toString('base64'),
          reason: row.reason,
          detail: row.detail,
        }),
      )
    },

    /** Drops all but the newest DEAD_LETTER_LIMIT letters: at start, and every 100 recorded. */
    trim,
  }
}
export type DeadLettersRepository = ReturnType<typeof createDeadLettersRepository>
