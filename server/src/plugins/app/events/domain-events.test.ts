import { describe, expect, it, vi } from 'vitest'
import { createDomainEvents } from './domain-events.ts'

const reading = { stationId: 'TK-XQ-01', ts: '2026-10-30T01:00:00.000Z', waterLevelCm: 320 }

function bus() {
  const errors: { event: string; message: string }[] = []
  const events = createDomainEvents({ error: (detail, message) => errors.push({ event: (detail as { event: string }).event, message }) })
  return { events, errors }
}

describe('domain events', () => {
  it('hands each event to every listener of its name, in the order they subscribed, and to no other', () => {
    const { events } = bus()
    const heard: string[] = []
    events.on('reading.stored', (r) => heard.push(`first ${r.stationId}`))
    events.on('reading.stored', (r) => heard.push(`second ${r.waterLevelCm}`))
    events.on('camera.status', () => heard.push('camera'))
    events.emit('reading.stored', reading)
    expect(heard).toEqual(['first TK-XQ-01', 'second 320'])
  })

  it('stops handing events to a listener once it unsubscribes', () => {
    const { events } = bus()
    const heard: boolean[] = []
    const off = events.on('leadership.changed', (leader) => heard.push(leader))
    events.emit('leadership.changed', true)
    off()
    events.emit('leadership.changed', false)
    expect(heard).toEqual([true])
  })

  it('logs a listener that throws or rejects, and still calls the others; the publisher never sees the failure', async () => {
    const { events, errors } = bus()
    const heard: string[] = []
    events.on('session.ended', () => {
      throw new Error('boom')
    })
    events.on('session.ended', async () => Promise.reject(new Error('later')))
    events.on('session.ended', (ids) => heard.push(...ids))
    expect(() => events.emit('session.ended', ['s1', 's2'])).not.toThrow()
    expect(heard).toEqual(['s1', 's2'])
    await vi.waitFor(() => expect(errors).toHaveLength(2))
    expect(errors).toEqual([
      { event: 'session.ended', message: 'a listener of "session.ended" failed' },
      { event: 'session.ended', message: 'a listener of "session.ended" failed' },
    ])
  })
})
