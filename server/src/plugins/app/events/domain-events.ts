import { EventEmitter } from 'node:events'
import type { AlarmEventName, AlarmView, CameraSnapshotEvent, CameraStatus, FloodForecast, FloodReading, IndicatorValue, ReadingVerdict, StationAlarmSettings } from '@ioc/shared'

/**
 * What happened inside this server process, for any capability to react to: one name per fact, its
 * arguments typed. Publishers do not know who listens; listeners do not know who published. Across
 * instances, facts travel other ways (the store, Redis notices, the socket.io adapter): these events
 * stay in one process.
 */
export interface DomainEventMap {
  /** A flood reading was validated and newly stored (or a redelivered one is passed on once more). */
  'reading.stored': [reading: FloodReading]
  /** The alarm engine held a stored reading as suspect, or the next reading confirmed it; the verdict is stored. */
  'reading.judged': [verdict: ReadingVerdict]
  /** A station's forecast, computed from the store after a reading stored here, differs from what this instance last said (null: withdrawn). */
  'forecast.changed': [stationId: string, forecast: FloodForecast | null]
  /** A camera status report was validated and stored. */
  'camera.status': [status: CameraStatus]
  /** A camera snapshot was validated and stored (its picture is readable from the store from now on). */
  'camera.snapshot': [snapshot: CameraSnapshotEvent]
  /** An alarm was raised, changed or cleared, and the change is stored. */
  'alarm.changed': [event: AlarmEventName, alarm: AlarmView]
  /** An area's indicator value was entered or corrected. */
  'indicator.updated': [value: IndicatorValue]
  /** Sessions ended (logout, expiry, a disabled account, a new password): their sockets must go. */
  'session.ended': [sessionIds: readonly string[]]
  /** A station's effective alarm settings changed (here, or read again after another instance changed them). */
  'settings.changed': [stationId: string, settings: StationAlarmSettings]
  /** A device or gateway credential was revoked or re-issued: its connections must go. */
  'credentials.invalidated': [username: string]
  /** This instance took (true) or gave up (false) the cluster's lead. */
  'leadership.changed': [leader: boolean]
}
export type DomainEventName = keyof DomainEventMap

export interface DomainEvents {
  /** Calls every listener of `name` at once, in the order they subscribed. */
  emit<K extends DomainEventName>(name: K, ...args: DomainEventMap[K]): void
  /** Subscribes; returns what unsubscribes. */
  on<K extends DomainEventName>(name: K, listener: (...args: DomainEventMap[K]) => unknown): () => void
}

/**
 * The bus, on Node's EventEmitter. A listener that throws or rejects is logged and does not reach the
 * publisher nor stop the other listeners: what it reacts to has happened already (a reading is stored,
 * an alarm change is stored), and one failing reaction must not undo or hide it.
 */
export function createDomainEvents(log: { error(detail: object, message: string): void }): DomainEvents {
  // Typed by the DomainEvents interface above: EventEmitter's own generic typing cannot follow a generic name.
  const emitter = new EventEmitter()
  // Every capability subscribes a few times; more is expected than Node's default warning threshold of 10.
  emitter.setMaxListeners(0)
  const failed = (name: DomainEventName) => (error: unknown) => log.error({ err: error, event: name }, `a listener of "${name}" failed`)
  return {
    emit(name, ...args) {
      emitter.emit(name, ...args)
    },
    on(name, listener) {
      const safe = (...args: DomainEventMap[typeof name]) => {
        try {
          const result = listener(...args)
          if (result instanceof Promise) result.catch(failed(name))
        } catch (error) {
          failed(name)(error)
        }
      }
      emitter.on(name, safe)
      return () => void emitter.off(name, safe)
    },
  }
}
