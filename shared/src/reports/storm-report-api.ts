import Type, { type Static } from 'typebox'
import { AlarmStateSchema, AlarmTypeSchema } from '../alarms/alarm-api.ts'
import { LocalizedText } from '../schemas/common.ts'

const Timestamp = Type.String({ format: 'date-time' })
const Seconds = Type.Integer({ minimum: 0, description: 'seconds' })
const BdLevel = Type.Integer({ minimum: 0, maximum: 3, description: '0 below BĐ1, then BĐ1..BĐ3' })

/** The longest a storm report may cover: a flood season's worst month, still answered in well under a second. */
export const STORM_REPORT_MAX_DAYS = 31

/** `GET /api/reports/storm` and `/api/reports/storm.csv`: the window, [from, to). */
export const StormReportQuery = Type.Object({
  from: Type.String({ format: 'date-time', description: 'Start of the window (ISO-8601), included' }),
  to: Type.String({ format: 'date-time', description: `End of the window (ISO-8601), excluded; at most ${STORM_REPORT_MAX_DAYS} days after \`from\`` }),
})
export type StormReportQuery = Static<typeof StormReportQuery>

/** Time spent at each level within the window, in seconds; the five add up to the window's length. */
export const TimeAtLevel = Type.Object({
  below: Seconds,
  bd1: Seconds,
  bd2: Seconds,
  bd3: Seconds,
  /** Gaps longer than the station's silence threshold, and time before its first reading: not a level. */
  noData: Seconds,
})
export type TimeAtLevel = Static<typeof TimeAtLevel>

export const StormReportStation = Type.Object({
  id: Type.String(),
  name: LocalizedText,
  areaId: Type.String(),
  /** The alarm levels the report judged by: the station's current ones, cm. */
  levels: Type.Object({ bd1: Type.Number(), bd2: Type.Number(), bd3: Type.Number() }),
  /** The highest reading in the window and when it was first reached; null without readings. */
  peak: Type.Union([Type.Object({ cm: Type.Number(), at: Timestamp, level: BdLevel, approximate: Type.Boolean({ description: 'true when it comes from an hourly rollup: `at` is the start of that hour' }) }), Type.Null()]),
  timeAtLevelS: TimeAtLevel,
  readings: Type.Object({
    /** Readings due in the window at the station's usual interval. */
    expected: Type.Integer({ minimum: 0 }),
    received: Type.Integer({ minimum: 0 }),
    missing: Type.Integer({ minimum: 0 }),
    /** The longest stretch of the window without a reading, and where it began. */
    longestGapS: Seconds,
    longestGapFrom: Type.Union([Timestamp, Type.Null()]),
  }),
  expectedIntervalS: Type.Integer({ minimum: 1 }),
  /** A gap longer than this is "no data", as the silent-station alarm judges it. */
  silentAfterS: Type.Integer({ minimum: 1 }),
})
export type StormReportStation = Static<typeof StormReportStation>

export const StormReportAcknowledgement = Type.Object({
  by: Type.String(),
  at: Timestamp,
  note: Type.String(),
  /** From the raise (or the escalation it answered) to this acknowledgement. */
  waitS: Seconds,
})
export type StormReportAcknowledgement = Static<typeof StormReportAcknowledgement>

export const StormReportAlarm = Type.Object({
  id: Type.Integer(),
  type: AlarmTypeSchema,
  source: Type.Object({ kind: Type.Union([Type.Literal('station'), Type.Literal('camera')]), id: Type.String() }),
  areaId: Type.String(),
  /** The highest BĐ level it reached (flood_level alarms); null for other types. */
  maxLevel: Type.Union([Type.Integer({ minimum: 1, maximum: 3 }), Type.Null()]),
  state: AlarmStateSchema,
  raisedAt: Timestamp,
  clearedAt: Type.Union([Timestamp, Type.Null()]),
  /** Every acknowledgement, oldest first: an escalation asks for a new one. */
  acknowledgements: Type.Array(StormReportAcknowledgement),
})
export type StormReportAlarm = Static<typeof StormReportAlarm>

export const StormReportArea = Type.Object({
  code: Type.String(),
  name: LocalizedText,
  /** Its stations, by id, with their peaks (in `stations`). */
  stationIds: Type.Array(Type.String()),
  /** The highest level any of its stations reached; null when none of them had a reading. */
  maxLevel: Type.Union([BdLevel, Type.Null()]),
})
export type StormReportArea = Static<typeof StormReportArea>

/** `GET /api/reports/storm`: the after-action report of a window, for city staff. */
export const StormReport = Type.Object({
  from: Timestamp,
  to: Timestamp,
  /** The city's IANA time zone: the page and the CSV write local times in it. */
  timeZone: Type.String(),
  generatedAt: Timestamp,
  /**
   * Raw readings are kept for the retention period only: when the window starts before that, the
   * instant from which they are, and before it peaks and counts come from hourly rollups and the time
   * at each level is unknown (counted as no data). Null when the whole window has raw readings.
   */
  rawReadingsFrom: Type.Union([Timestamp, Type.Null()]),
  summary: Type.Object({
    /** How many stations reached each level (a station at BĐ3 is counted under BĐ1 and BĐ2 too). */
    stationsReached: Type.Object({ bd1: Type.Integer(), bd2: Type.Integer(), bd3: Type.Integer() }),
    alarms: Type.Integer(),
    acknowledged: Type.Integer(),
    /** Median of the first acknowledgement's wait over acknowledged alarms; null when none was. */
    medianAckWaitS: Type.Union([Seconds, Type.Null()]),
  }),
  stations: Type.Array(StormReportStation),
  areas: Type.Array(StormReportArea),
  /** Alarms open at any moment of the window, oldest raise first. */
  alarms: Type.Array(StormReportAlarm),
})
export type StormReport = Static<typeof StormReport>
