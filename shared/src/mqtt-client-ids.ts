/**
 * Which MQTT client ids a credential of the embedded broker may use: its username, or its username, a
 * dot and anything — `tam-ky-river`, `tam-ky-river.2`, `lora-gw-1.sim-storm-3fa2`.
 *
 * Why it matters: a client that connects with a client id already in use disconnects the one holding it,
 * so without a rule any credential could knock any device off. Usernames are device ids and gateway
 * names — lower-case letters, digits and dashes, never a dot — so the part of a client id before its
 * first dot names exactly one credential. A bare prefix rule would not do: `st-1` could take `st-10`.
 */
export const CLIENT_ID_SEPARATOR = '.'

/** Whether the credential `username` may connect with `clientId`. */
export function isClientIdOf(username: string, clientId: string): boolean {
  return clientId === username || clientId.startsWith(username + CLIENT_ID_SEPARATOR)
}

/** A client id the credential `username` may use: `username.name`, or `name` itself when it already is one. */
export function clientIdFor(username: string, name: string): string {
  return isClientIdOf(username, name) ? name : `${username}${CLIENT_ID_SEPARATOR}${name}`
}

/**
 * The client id to connect to `url` with: {@link clientIdFor} the URL's username, or `name` unchanged
 * when the URL carries no credential (an external broker that lets clients in without one).
 */
export function clientIdForUrl(url: string, name: string): string {
  const username = decodeURIComponent(new URL(url).username)
  return username === '' ? name : clientIdFor(username, name)
}
