import { execFile } from 'node:child_process'
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, randomUUID, verify, type ECDH } from 'node:crypto'
import { EventEmitter, once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

/**
 * A push service for tests, playing the part a browser's push service and the browser itself play
 * together (headless Chromium has none here): an HTTPS server on 127.0.0.1 that takes `POST /push/<id>`
 * (RFC 8030), checks the VAPID authorization (RFC 8292: the ES256 JWT's signature against `k`, `aud`
 * its own origin, `exp` in the next 24 hours) and decrypts the aes128gcm body (RFC 8188 + RFC 8291)
 * with a subscription key pair it made itself — the one place where hand-written decryption is right.
 *
 * HTTPS, not HTTP, because web-push only speaks HTTPS: the certificate is self-signed (openssl, as the
 * broker's TLS tests make theirs) and the sender trusts it through `agent()` (or `ca`).
 *
 * Awaiting a message is by event: `nextMessage()` hands out the messages in the order they arrived,
 * each once, waiting for the next one when all were taken — never by sleeping.
 */
export interface PushEndpoint {
  /** `https://127.0.0.1:<port>`: what a VAPID JWT's `aud` must be. */
  readonly origin: string
  /** The endpoint's self-signed certificate (PEM), to trust it. */
  readonly ca: string
  /** An HTTPS agent that trusts this endpoint (no keep-alive, so nothing outlives close()). */
  agent(): Agent
  /**
   * The subscription a browser would hand the application server for `id` (made on first ask, the same
   * after): endpoint `<origin>/push/<id>`, its own P-256 key pair and auth secret, URL-safe base64.
   * With `applicationServerKey`, the subscription is restricted (RFC 8292 §4): a JWT signed by any
   * other key is refused with 403, as a browser's push service does after the server's keys changed.
   */
  subscription(id: string, options?: { applicationServerKey?: string }): PushEndpointSubscription
  /** Every message delivered (decrypted), in order. */
  readonly messages: readonly ReceivedPush[]
  /** Every request answered, delivered or not, in order: what the status was and why. */
  readonly requests: readonly PushRequestRecord[]
  /** The oldest delivered message no earlier call returned, waiting for one when there is none; rejects after `timeoutMs`. */
  nextMessage(options?: { timeoutMs?: number }): Promise<ReceivedPush>
  /** The next `count` requests get `status` (e.g. 410, 500, 429) with `headers` (e.g. Retry-After), and are not delivered. */
  failNext(count: number, status: number, headers?: Record<string, string>): void
  /** The subscription `id` is gone: every push to it from now on gets 410 Gone. */
  unsubscribe(id: string): void
  close(): Promise<void>
}

export interface PushEndpointSubscription {
  endpoint: string
  keys: { p256dh: string; auth: string }
}

export interface ReceivedPush {
  /** The subscription it was sent to. */
  id: string
  /** The decrypted payload, parsed as JSON (undefined when it is not JSON). */
  payload: unknown
  /** The decrypted payload as UTF-8 text. */
  text: string
  ttl: number
  urgency: string | undefined
  topic: string | undefined
  /** What the VAPID authorization said, verified. */
  vapid: { publicKey: string; audience: string; subject: string; expiresAt: number }
  receivedAt: number
}

export interface PushRequestRecord {
  /** The subscription id of the path, or undefined when the path was not /push/<id>. */
  id: string | undefined
  status: number
  /** Why it was not delivered (undefined when it was: 201). */
  refusal: string | undefined
}

/** Push services accept this much body at least (RFC 8291 §4); more is refused with 413. */
const MAX_BODY_BYTES = 4096
/** RFC 8292 §2: a JWT must not expire more than 24 hours ahead. */
const MAX_JWT_LIFETIME_S = 24 * 60 * 60
const URL_SAFE_BASE64 = /^[A-Za-z0-9_-]+$/
const URGENCIES = new Set(['very-low', 'low', 'normal', 'high'])

interface SubscriptionState {
  ecdh: ECDH
  publicKey: Buffer
  auth: Buffer
  applicationServerKey: string | undefined
  gone: boolean
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

let certificate: Promise<{ key: string; cert: string }> | undefined

/** One self-signed P-256 certificate for 127.0.0.1 and localhost per test process (openssl). */
function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  certificate ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioc-push-endpoint-'))
    try {
      await promisify(execFile)('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=IOC test push service',
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ]).catch((error: unknown) => {
        throw new Error(`the test push endpoint makes its certificate with openssl, which failed (apt-get install openssl): ${error instanceof Error ? error.message : String(error)}`)
      })
      return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })()
  return certificate
}

/** Starts a push endpoint on 127.0.0.1, on a port of its own. */
export async function startPushEndpoint(): Promise<PushEndpoint> {
  const { key, cert } = await selfSignedCertificate()
  const subscriptions = new Map<string, SubscriptionState>()
  const messages: ReceivedPush[] = []
  const requests: PushRequestRecord[] = []
  const failures: { status: number; headers: Record<string, string> }[] = []
  const arrivals = new EventEmitter()
  let taken = 0
  let origin = ''

  const server: Server = createServer({ key, cert }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error))
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = /^\/push\/([A-Za-z0-9_-]+)$/.exec(req.url ?? '')?.[1]
    try {
      const body = await readBody(req)
      if (req.method !== 'POST' || id === undefined) throw new Refusal(404, `no push resource at ${req.method} ${req.url}`)
      const subscription = subscriptions.get(id)
      if (!subscription) throw new Refusal(404, `no subscription "${id}"`)
      if (subscription.gone) throw new Refusal(410, `subscription "${id}" is gone (unsubscribed)`)
      const failure = failures.shift()
      if (failure) throw new Refusal(failure.status, 'failNext', failure.headers)
      const vapid = checkVapid(req.headers.authorization, subscription)
      const ttl = Number(req.headers.ttl)
      if (req.headers.ttl === undefined || !/^\d+$/.test(String(req.headers.ttl))) throw new Refusal(400, `TTL header missing or not a whole number: ${String(req.headers.ttl)}`)
      const urgency = req.headers.urgency
      if (urgency !== undefined && !URGENCIES.has(urgency as string)) throw new Refusal(400, `Urgency "${String(urgency)}" is none of very-low, low, normal, high`)
      const topic = req.headers.topic
      if (topic !== undefined && !(typeof topic === 'string' && topic.length <= 32 && URL_SAFE_BASE64.test(topic))) throw new Refusal(400, `Topic "${String(topic)}" is not 1-32 URL-safe base64 characters`)
      if (req.headers['content-encoding'] !== 'aes128gcm') throw new Refusal(415, `Content-Encoding "${String(req.headers['content-encoding'])}" is not aes128gcm`)
      if (body === 'too large') throw new Refusal(413, `the body is over ${MAX_BODY_BYTES} bytes`)
      let plaintext: Buffer
      try {
        plaintext = decryptAes128gcm(body, subscription)
      } catch (error) {
        throw new Refusal(400, `cannot decrypt the body: ${error instanceof Error ? error.message : String(error)}`)
      }
      let text: string
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(plaintext)
      } catch {
        throw new Refusal(400, 'the decrypted payload is not UTF-8')
      }
      let payload: unknown
      try {
        payload = JSON.parse(text)
      } catch {
        payload = undefined
      }
      const message: ReceivedPush = { id, payload, text, ttl, urgency: urgency as string | undefined, topic: topic as string | undefined, vapid, receivedAt: Date.now() }
      messages.push(message)
      requests.push({ id, status: 201, refusal: undefined })
      res.writeHead(201, { location: `${origin}/message/${randomUUID()}` }).end()
      arrivals.emit('message')
    } catch (error) {
      const refusal = error instanceof Refusal ? error : new Refusal(500, String(error))
      requests.push({ id, status: refusal.status, refusal: refusal.message })
      res.writeHead(refusal.status, { 'content-type': 'text/plain; charset=utf-8', ...refusal.headers }).end(refusal.message)
    }
  }

  function checkVapid(authorization: string | undefined, subscription: SubscriptionState): ReceivedPush['vapid'] {
    const scheme = /^vapid\s+(.*)$/i.exec(authorization ?? '')
    if (!scheme) throw new Refusal(401, `no VAPID authorization (Authorization: ${authorization ?? 'none'})`)
    const params = new Map(scheme[1]!.split(',').map((part) => {
      const at = part.indexOf('=')
      return [part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim()] as const
    }))
    const token = params.get('t')
    const k = params.get('k')
    if (!token || !k) throw new Refusal(401, 'the VAPID authorization lacks t= or k=')
    const point = URL_SAFE_BASE64.test(k) ? Buffer.from(k, 'base64url') : Buffer.alloc(0)
    let publicKey
    try {
      if (point.length !== 65 || point[0] !== 4) throw new Error()
      publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' })
    } catch {
      throw new Refusal(403, 'k= is not an uncompressed P-256 public key')
    }
    if (subscription.applicationServerKey !== undefined && k !== subscription.applicationServerKey) {
      throw new Refusal(403, 'k= is not the applicationServerKey the subscription was made with')
    }
    const parts = token.split('.')
    if (parts.length !== 3 || !parts.every((p) => URL_SAFE_BASE64.test(p))) throw new Refusal(403, 'the VAPID token is not a JWS compact serialization')
    const [headerPart, claimsPart, signaturePart] = parts as [string, string, string]
    const header = parseJson(headerPart)
    if (header?.alg !== 'ES256') throw new Refusal(403, `the VAPID token's alg is ${String(header?.alg)}, not ES256`)
    const signature = Buffer.from(signaturePart, 'base64url')
    if (signature.length !== 64 || !verify('sha256', Buffer.from(`${headerPart}.${claimsPart}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)) {
      throw new Refusal(403, 'the VAPID token signature does not verify against k=')
    }
    const claims = parseJson(claimsPart)
    const now = Math.floor(Date.now() / 1000)
    if (claims?.aud !== origin) throw new Refusal(403, `the VAPID token's aud is ${String(claims?.aud)}, not this push service's origin ${origin}`)
    if (typeof claims.exp !== 'number' || claims.exp <= now) throw new Refusal(403, `the VAPID token has expired (exp ${String(claims.exp)}, now ${now})`)
    if (claims.exp > now + MAX_JWT_LIFETIME_S + 60) throw new Refusal(403, `the VAPID token's exp is more than 24 hours ahead (exp ${claims.exp}, now ${now})`)
    if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) throw new Refusal(403, `the VAPID token's sub is not a mailto: or https: URI: ${String(claims.sub)}`)
    return { publicKey: k, audience: claims.aud, subject: claims.sub, expiresAt: claims.exp }
  }

  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    origin,
    ca: cert,
    agent: () => new Agent({ ca: cert, keepAlive: false }),
    subscription(id, options = {}) {
      if (!URL_SAFE_BASE64.test(id)) throw new Error(`a subscription id is URL-safe base64 characters, not "${id}"`)
      let state = subscriptions.get(id)
      if (!state) {
        const ecdh = createECDH('prime256v1')
        state = { ecdh, publicKey: ecdh.generateKeys(), auth: randomBytes(16), applicationServerKey: options.applicationServerKey, gone: false }
        subscriptions.set(id, state)
      }
      return { endpoint: `${origin}/push/${id}`, keys: { p256dh: state.publicKey.toString('base64url'), auth: state.auth.toString('base64url') } }
    },
    messages,
    requests,
    async nextMessage({ timeoutMs = 10_000 } = {}) {
      if (taken >= messages.length) {
        const signal = AbortSignal.timeout(timeoutMs)
        while (taken >= messages.length) {
          await once(arrivals, 'message', { signal }).catch((error: unknown) => {
            if (!signal.aborted) throw error
            const answered = requests.map((r) => `${r.status}${r.refusal ? ` (${r.refusal})` : ''}`).join('; ') || 'none'
            throw new Error(`no push message within ${timeoutMs} ms; requests answered: ${answered}`)
          })
        }
      }
      return messages[taken++]!
    },
    failNext(count, status, headers = {}) {
      for (let i = 0; i < count; i++) failures.push({ status, headers })
    },
    unsubscribe(id) {
      const state = subscriptions.get(id)
      if (!state) throw new Error(`no subscription "${id}"`)
      state.gone = true
    },
    async close() {
      const closed = once(server, 'close')
      server.close()
      server.closeAllConnections()
      await closed
    },
  }
}

/** The request body, or 'too large' past MAX_BODY_BYTES (read to the end either way, so the answer reaches the sender). */
async function readBody(req: IncomingMessage): Promise<Buffer | 'too large'> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size <= MAX_BODY_BYTES) chunks.push(chunk)
  }
  return size > MAX_BODY_BYTES ? 'too large' : Buffer.concat(chunks)
}

function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

const hkdf = (ikm: Buffer, salt: Buffer, info: Buffer, length: number) => Buffer.from(hkdfSync('sha256', ikm, salt, info, length))

/**
 * Decrypts an aes128gcm body as a user agent does. RFC 8188 §2.1 header: salt (16) | rs (uint32) |
 * idlen (1) | keyid (idlen: here the application server's ephemeral P-256 key, 65 bytes, RFC 8291 §4),
 * then one record (RFC 8291 §4: an application server MUST use a single record) of ciphertext and
 * its 16-byte tag. Keys (RFC 8291 §3.4, RFC 8188 §2.2–2.3):
 *   IKM   = HKDF(salt = auth secret, ikm = ECDH(ua private, as public), info = "WebPush: info" 0x00 ua_public as_public, 32)
 *   CEK   = HKDF(salt, IKM, "Content-Encoding: aes128gcm" 0x00, 16)
 *   NONCE = HKDF(salt, IKM, "Content-Encoding: nonce" 0x00, 12)   (record 0: XOR 0)
 * The plaintext ends with the last record's delimiter 0x02, then any zero padding.
 */
function decryptAes128gcm(body: Buffer, subscription: SubscriptionState): Buffer {
  if (body.length < 21) throw new Error(`${body.length} bytes is shorter than the aes128gcm header`)
  const salt = body.subarray(0, 16)
  const rs = body.readUInt32BE(16)
  const idlen = body[20]!
  if (rs < 18) throw new Error(`record size ${rs} is under 18`)
  if (idlen !== 65) throw new Error(`keyid is ${idlen} bytes, not the 65 of an uncompressed P-256 key`)
  if (body.length < 21 + idlen) throw new Error('the body ends inside the header')
  const serverPublicKey = body.subarray(21, 21 + idlen)
  const record = body.subarray(21 + idlen)
  if (record.length > rs) throw new Error(`more than one record (${record.length} bytes, record size ${rs})`)
  if (record.length < 17) throw new Error(`the record is ${record.length} bytes, too short for a tag and a delimiter`)

  let ecdhSecret: Buffer
  try {
    ecdhSecret = subscription.ecdh.computeSecret(serverPublicKey)
  } catch {
    throw new Error('keyid is not a P-256 public key')
  }
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0', 'latin1'), subscription.publicKey, serverPublicKey])
  const ikm = hkdf(ecdhSecret, subscription.auth, keyInfo, 32)
  const cek = hkdf(ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0', 'latin1'), 16)
  const nonce = hkdf(ikm, salt, Buffer.from('Content-Encoding: nonce\0', 'latin1'), 12)

  const decipher = createDecipheriv('aes-128-gcm', cek, nonce)
  decipher.setAuthTag(record.subarray(record.length - 16))
  let padded: Buffer
  try {
    padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()])
  } catch {
    throw new Error('the AES-128-GCM tag does not verify (wrong keys, or the body was altered)')
  }
  let end = padded.length - 1
  while (end >= 0 && padded[end] === 0) end--
  if (end < 0 || padded[end] !== 2) throw new Error('the record does not end with the last-record delimiter 0x02')
  return padded.subarray(0, end)
}
