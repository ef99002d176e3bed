import { describe, expect, it } from 'vitest'
import { ENGINES, T0, freshLocation } from '../storage/test-databases.ts'
import { DEAD_LETTER_LIMIT, DEAD_LETTER_PAYLOAD_BYTES, DEAD_LETTER_TEXT_CHARS, createDeadLettersRepository } from './dead-letters.repository.ts'

/** The dead letters contract, against SQLite and PostgreSQL (storage/test-databases.ts). */
describe.each(ENGINES)('dead letters repository on $name', (engine) => {
  const freshStore = async () => ({ deadLetters: createDeadLettersRepository((await freshLocation(engine).open()).db) })

  describe('dead letters', () => {
    const letter = (i: number, payload: Uint8Array = new TextEncoder().encode(`{"n":${i}}`)) => ({
      receivedAtMs: T0 + i,
      topic: 'ioc/v1/flood/ghost/reading',
      payload,
      reason: 'unknown_station',
      detail: `letter ${i}`,
    })

    it('keeps the raw payload bytes, base64, with the topic, reason and detail', async () => {
      const { deadLetters } = await freshStore()
      const payload = new Uint8Array([0xff, 0xfe, 0x00, 0x7b])
      await deadLetters.record({ receivedAtMs: T0, topic: 'ioc/v1/flood/x/reading', payload, reason: 'invalid_utf8', detail: 'payload is not valid UTF-8' })
      const [kept] = await deadLetters.list(10)
      expect(kept).toMatchObject({
        receivedAt: '2024-10-30T00:00:00.000Z',
        topic: 'ioc/v1/flood/x/reading',
        reason: 'invalid_utf8',
        detail: 'payload is not valid UTF-8',
      })
      expect(Buffer.from(kept!.payloadBase64, 'base64')).toEqual(Buffer.from(payload))
    })

    it('keeps an empty payload', async () => {
      const { deadLetters } = await freshStore()
      await deadLetters.record(letter(0, new Uint8Array()))
      expect((await deadLetters.list(1))[0]?.payloadBase64).toBe('')
    })

    it('lists the newest first, up to the limit asked', async () => {
      const { deadLetters } = await freshStore()
      for (let i = 0; i < 5; i++) await deadLetters.record(letter(i))
      expect((await deadLetters.list(3)).map((l) => l.detail)).toEqual(['letter 4', 'letter 3', 'letter 2'])
    })

    it('keeps the first 4,096 bytes of a 5 MB payload, and says in the detail how large it was', async () => {
      const { deadLetters } = await freshStore()
      const payload = Buffer.alloc(5 * 1024 * 1024, 'x')
      payload.write('{"ts":', 0)
      await deadLetters.record({ ...letter(0, payload), reason: 'unauthorized_topic', detail: 'device "tam-ky-river" may not publish to this topic' })
      const [kept] = await deadLetters.list(1)
      expect(Buffer.from(kept!.payloadBase64, 'base64')).toEqual(payload.subarray(0, DEAD_LETTER_PAYLOAD_BYTES))
      expect(kept!.detail).toBe('device "tam-ky-river" may not publish to this topic; payload is 5242880 bytes, limit 4096; first 4096 bytes kept')
    })

    it('keeps a payload of exactly 4,096 bytes whole, with its detail as it was', async () => {
      const { deadLetters } = await freshStore()
      const payload = Buffer.alloc(DEAD_LETTER_PAYLOAD_BYTES, 'y')
      await deadLetters.record(letter(0, payload))
      const [kept] = await deadLetters.list(1)
      expect({ bytes: Buffer.from(kept!.payloadBase64, 'base64').byteLength, detail: kept!.detail }).toEqual({ bytes: DEAD_LETTER_PAYLOAD_BYTES, detail: 'letter 0' })
    })

    it('does not repeat the size an oversized refusal already states', async () => {
      const { deadLetters } = await freshStore()
      await deadLetters.record({ ...letter(0, Buffer.alloc(10_000)), reason: 'oversized', detail: 'payload is 10000 bytes, limit 4096' })
      expect((await deadLetters.list(1))[0]?.detail).toBe('payload is 10000 bytes, limit 4096; first 4096 bytes kept')
    })

    it(`keeps ${DEAD_LETTER_TEXT_CHARS} characters of a longer topic and detail, saying so`, async () => {
      const { deadLetters } = await freshStore()
      const topic = `ioc/v1/flood/${'x'.repeat(60_000)}/reading`
      await deadLetters.record({ ...letter(0), topic, detail: `no station "${'x'.repeat(60_000)}" in the city pack` })
      const [kept] = await deadLetters.list(1)
      expect(kept!.topic).toBe(topic.slice(0, DEAD_LETTER_TEXT_CHARS))
      expect(kept!.detail).toBe(`no station "${'x'.repeat(DEAD_LETTER_TEXT_CHARS - 12)}…; topic is ${topic.length} characters; first ${DEAD_LETTER_TEXT_CHARS} kept`)
    })

    it('keeps a topic and detail with NUL characters, each NUL as U+FFFD (PostgreSQL cannot hold NUL in text)', async () => {
      const { deadLetters } = await freshStore()
      // What the ingest refused in issue #15: a NUL in the topic, and a JSON.parse error quoting the payload's NUL.
      await deadLetters.record({ ...letter(0, Buffer.from('{"a":\u0000}')), topic: 'ioc/v1/flood/tam\u0000ky/reading', reason: 'malformed_json', detail: `Unexpected token '\u0000', "{"a":\u0000}" is not valid JSON` })
      const [kept] = await deadLetters.list(1)
      expect(kept).toMatchObject({ topic: 'ioc/v1/flood/tam\uFFFDky/reading', detail: `Unexpected token '\uFFFD', "{"a":\uFFFD}" is not valid JSON` })
      // The payload is bytes, not text: kept as sent.
      expect(Buffer.from(kept!.payloadBase64, 'base64')).toEqual(Buffer.from('{"a":\u0000}'))
    })

    it(`keeps at most ${DEAD_LETTER_LIMIT} + 100 letters, dropping the oldest`, async () => {
      const { deadLetters } = await freshStore()
      const total = DEAD_LETTER_LIMIT + 250
      for (let i = 0; i < total; i++) await deadLetters.record(letter(i))
      const kept = await deadLetters.list(total)
      expect(kept.length).toBeGreaterThanOrEqual(DEAD_LETTER_LIMIT)
      expect(kept.length).toBeLessThanOrEqual(DEAD_LETTER_LIMIT + 100)
      expect(kept[0]?.detail).toBe(`letter ${total - 1}`)
      expect(kept.at(-1)?.detail).toBe(`letter ${total - kept.length}`)
      // 10,250 writes one after another: seconds alone, minutes on a loaded PostgreSQL.
    }, 300_000)
  })
})
