import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { clientIdFor, clientIdForUrl, isClientIdOf } from './mqtt-client-ids.ts'

/** Usernames as credentials allow them (device ids, gateway names): lower-case letters, digits and dashes. */
const username = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,62}$/)

describe('MQTT client ids of a credential', () => {
  it('allows the username itself and the username, a dot and anything', () => {
    expect(isClientIdOf('tam-ky-river', 'tam-ky-river')).toBe(true)
    expect(isClientIdOf('tam-ky-river', 'tam-ky-river.2')).toBe(true)
    expect(isClientIdOf('lora-gw-1', 'lora-gw-1.sim-storm-3fa2')).toBe(true)
  })

  it("never lets one credential use another's client id, even when one username starts the other", () => {
    expect(isClientIdOf('st-1', 'st-10')).toBe(false)
    expect(isClientIdOf('st-1', 'st-10.a')).toBe(false)
    expect(isClientIdOf('tam-ky', 'tam-ky-river')).toBe(false)
    expect(isClientIdOf('tam-ky-river', 'device-3fa2')).toBe(false)
    // Whatever two different usernames, no client id belongs to both.
    fc.assert(
      fc.property(username, username, fc.string(), (a, b, rest) => {
        fc.pre(a !== b)
        for (const id of [a, b, `${a}.${rest}`, `${b}.${rest}`]) expect(isClientIdOf(a, id) && isClientIdOf(b, id)).toBe(false)
      }),
    )
  })

  it('derives a client id from a name, or from a URL with a credential in it', () => {
    expect(clientIdFor('lora-gw-1', 'sim-storm')).toBe('lora-gw-1.sim-storm')
    expect(clientIdFor('tam-ky-river', 'tam-ky-river.1')).toBe('tam-ky-river.1')
    expect(clientIdForUrl('mqtt://lora-gw-1:secret@127.0.0.1:1883', 'bench-1')).toBe('lora-gw-1.bench-1')
    expect(clientIdForUrl('mqtts://tam-ky-river:p%40ss@ioc.example:8883', 'tam-ky-river')).toBe('tam-ky-river')
    expect(clientIdForUrl('mqtt://127.0.0.1:1883', 'bench-1')).toBe('bench-1')
  })
})
