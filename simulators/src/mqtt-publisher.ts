import { connect, type MqttClient } from 'mqtt'

/** Where a run sends its messages. The MQTT one is below; tests use an in-memory one. */
export interface Publisher {
  /** Publishes with QoS 1; settles when the broker acknowledges (PUBACK) or the publish fails. JSON as text, pictures as bytes. */
  publish(topic: string, payload: string | Buffer): Promise<void>
  /** Disconnects; `force` drops whatever the broker has not acknowledged. */
  close(force: boolean): Promise<void>
}

/** Thrown when the broker cannot be reached; the message names the URL. */
export class BrokerConnectionError extends Error {
  constructor(
    readonly url: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot connect to the MQTT broker at ${url}: ${reason}`, options)
    this.name = 'BrokerConnectionError'
  }
}

/** The URL as it may be printed: without its password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (!parsed.password) return url
    parsed.password = '***'
    return parsed.toString()
  } catch {
    return url
  }
}

export interface ConnectOptions {
  clientId: string
  connectTimeoutMs: number
  log: (line: string) => void
}

/** CONNACK 4 "bad username or password" and 5 "not authorized" (MQTT 3.1.1). */
const isCredentialRefusal = (error: Error | undefined) => {
  const code = (error as { code?: unknown } | undefined)?.code
  return code === 4 || code === 5
}
const CREDENTIAL_HINT =
  'the broker refused the credentials (give a gateway credential in the URL, mqtt://USER:PASSWORD@host:port — `pnpm -s devices gateway <name>` issues one for the IOC\'s embedded broker — and a client id that is USER or starts with "USER.")'

/** Delay between reconnection attempts once a run is under way (a broker restart must not end a demo). */
const RECONNECT_PERIOD_MS = 1000

/**
 * Connects to `url` and resolves once the broker has accepted the connection. Rejects with a
 * {@link BrokerConnectionError} when it refuses, the address is unreachable, or nothing answers within
 * `connectTimeoutMs` — the first attempt is never retried, so a wrong URL fails fast.
 */
export function connectPublisher(url: string, options: ConnectOptions): Promise<Publisher> {
  const shownUrl = redactUrl(url)
  let client: MqttClient
  try {
    // MQTT 3.1.1: what every broker the IOC runs with speaks, the embedded Aedes included.
    client = connect(url, {
      clientId: options.clientId,
      protocolVersion: 4,
      clean: true,
      connectTimeout: options.connectTimeoutMs,
      reconnectPeriod: RECONNECT_PERIOD_MS,
    })
  } catch (error) {
    return Promise.reject(new BrokerConnectionError(shownUrl, (error as Error).message, { cause: error }))
  }

  return new Promise((resolve, reject) => {
    let lastError: Error | undefined
    const onError = (error: Error) => {
      lastError = error
    }
    const onConnect = () => {
      cleanup()
      resolve(publisherFor(client, shownUrl, options.log))
    }
    const fail = (reason: string, cause?: Error) => {
      cleanup()
      client.end(true)
      reject(new BrokerConnectionError(shownUrl, reason, { cause }))
    }
    const onClose = () => fail(isCredentialRefusal(lastError) ? `${lastError!.message}: ${CREDENTIAL_HINT}` : (lastError?.message ?? 'connection closed by the broker'), lastError)
    const timer = setTimeout(() => fail(`no answer within ${options.connectTimeoutMs} ms`, lastError), options.connectTimeoutMs)
    const cleanup = () => {
      clearTimeout(timer)
      client.off('connect', onConnect)
      client.off('close', onClose)
      client.off('error', onError)
    }
    // An 'error' with no listener would throw: keep one on until the first connection settles.
    client.on('error', onError)
    client.on('connect', onConnect)
    client.on('close', onClose)
  })
}

function publisherFor(client: MqttClient, shownUrl: string, log: (line: string) => void): Publisher {
  let offline = false
  let closing = false
  let refusedSinceOnline = false
  client.on('error', (error) => {
    // A revoked or re-issued credential: said once, not lost among the reconnection attempts.
    if (isCredentialRefusal(error)) {
      if (!refusedSinceOnline) log(`${shownUrl}: ${error.message}: ${CREDENTIAL_HINT}; still retrying every ${RECONNECT_PERIOD_MS / 1000} s`)
      refusedSinceOnline = true
      return
    }
    if (!offline) log(`MQTT error from ${shownUrl}: ${error.message}`)
  })
  client.on('offline', () => {
    if (closing || offline) return
    offline = true
    log(`lost the connection to ${shownUrl}; reconnecting every ${RECONNECT_PERIOD_MS / 1000} s`)
  })
  client.on('connect', () => {
    refusedSinceOnline = false
    if (!offline) return
    offline = false
    log(`reconnected to ${shownUrl}`)
  })
  return {
    async publish(topic, payload) {
      await client.publishAsync(topic, payload, { qos: 1 })
    },
    async close(force) {
      closing = true
      await client.endAsync(force)
    },
  }
}
