import Type, { type Static } from 'typebox'
import { DEFAULT_MAX_CHANGE_CM_PER_MINUTE, STATION_SETTING_LIMITS } from '../alarms/station-settings-rules.ts'
import { DeviceId, LocalizedText } from '../schemas/common.ts'

const Lon = Type.Number({ minimum: -180, maximum: 180 })
const Lat = Type.Number({ minimum: -90, maximum: 90 })
const LonLat = Type.Tuple([Lon, Lat])

/** Vietnam's three river alarm stage values (Báo động I, II, III), in cm above the station datum. */
export const FloodLevels = Type.Object({
  bd1: Type.Number(),
  bd2: Type.Number(),
  bd3: Type.Number(),
})
export type FloodLevels = Static<typeof FloodLevels>

export const StationKind = { river: 'river', bridge: 'bridge', street: 'street', coastal: 'coastal' } as const
export type StationKind = (typeof StationKind)[keyof typeof StationKind]

export const StationDef = Type.Object({
  id: DeviceId,
  name: LocalizedText,
  /** Where it is, in words a resident recognises. */
  place: LocalizedText,
  areaCode: Type.String(),
  kind: Type.Union([Type.Literal('river'), Type.Literal('bridge'), Type.Literal('street'), Type.Literal('coastal')]),
  river: Type.Optional(Type.String()),
  lon: Lon,
  lat: Lat,
  levels: FloodLevels,
  /** `official`: published by the authority; `demo`: plausible values until the city sets them. */
  levelsSource: Type.Union([Type.Literal('official'), Type.Literal('demo')]),
  levelsNote: Type.Optional(Type.String()),
  /** Seconds between two readings in normal operation. */
  expectedIntervalS: Type.Integer({ minimum: 1 }),
  /**
   * The most the water here can change in a minute, cm (rising or falling): a reading further from the
   * last one the alarm engine took than this × the minutes between them — counted as at least one
   * `expectedIntervalS` — is *suspect* until the next reading confirms it. Admins may change it like the
   * other alarm settings; absent, DEFAULT_MAX_CHANGE_CM_PER_MINUTE.
   */
  maxChangeCmPerMinute: Type.Optional(
    Type.Number({
      exclusiveMinimum: STATION_SETTING_LIMITS.maxChangeCmPerMinute.min,
      maximum: STATION_SETTING_LIMITS.maxChangeCmPerMinute.max,
      default: DEFAULT_MAX_CHANGE_CM_PER_MINUTE,
    }),
  ),
  stageScale: Type.Object({
    typicalLowCm: Type.Number(),
    typicalHighCm: Type.Number(),
    maxOnRecordCm: Type.Optional(Type.Number()),
    maxOnRecordAt: Type.Optional(Type.String({ format: 'date' })),
  }),
  /** True when the position is an estimate, not a surveyed point. */
  approximateLocation: Type.Boolean(),
  source: Type.String(),
})
export type StationDef = Static<typeof StationDef>

export const CameraDef = Type.Object({
  id: DeviceId,
  name: LocalizedText,
  road: Type.String(),
  areaCode: Type.String(),
  lon: Lon,
  lat: Lat,
  approximateLocation: Type.Boolean(),
  source: Type.String(),
  /**
   * Its snapshots may be shown to everyone, on the citizens' page (a camera watching a river or a
   * bridge, not people's streets). Absent: staff only.
   */
  public: Type.Optional(Type.Boolean()),
})
export type CameraDef = Static<typeof CameraDef>

export const AreaProperties = Type.Object({
  code: Type.String({ pattern: '^[0-9]{5}$', description: 'GSO administrative unit code' }),
  nameVi: Type.String(),
  nameEn: Type.String(),
  kind: Type.Union([Type.Literal('ward'), Type.Literal('commune')]),
  centreLon: Lon,
  centreLat: Lat,
  approximate: Type.Boolean(),
  source: Type.String(),
})
export type AreaProperties = Static<typeof AreaProperties>

export const AreaFeature = Type.Object({
  type: Type.Literal('Feature'),
  properties: AreaProperties,
  geometry: Type.Object({
    type: Type.Literal('Polygon'),
    coordinates: Type.Array(Type.Array(LonLat, { minItems: 4 }), { minItems: 1 }),
  }),
})
export type AreaFeature = Static<typeof AreaFeature>

export const AreaCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(AreaFeature, { minItems: 1 }),
})
export type AreaCollection = Static<typeof AreaCollection>

/**
 * A basemap under the map's areas and stations (docs/basemap.md): a tile archive in the pack folder
 * that the IOC serves itself, so streets, rivers and place names show with no internet, or an online
 * XYZ tile template or style URL. IOC_BASEMAP_URL overrides either at run time.
 */
export const BasemapDef = Type.Union([
  Type.Object(
    {
      /** An MBTiles file beside city.json: raster (PNG, JPEG, WebP) or vector (gzip'd Mapbox Vector Tiles). */
      archive: Type.String({ pattern: '^[^/\\\\]+\\.mbtiles$', description: 'file name of an .mbtiles archive in the pack folder' }),
      /**
       * For a vector archive: a MapLibre style file beside city.json whose vector source the IOC points
       * at the archive. Absent: the IOC's own quiet style for the OpenMapTiles schema (tilemaker, Planetiler).
       */
      style: Type.Optional(Type.String({ pattern: '^[^/\\\\]+\\.json$', description: 'file name of a style .json in the pack folder' })),
      attribution: Type.String({ minLength: 1 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      /** `https://…/{z}/{x}/{y}.png` (raster), `…/{z}/{x}/{y}.pbf` (vector, OpenMapTiles schema) or `…/style.json`. */
      url: Type.String({ pattern: '^https?://[^\\s]+$', description: 'http(s) URL of XYZ tiles or a style' }),
      attribution: Type.String({ minLength: 1 }),
    },
    { additionalProperties: false },
  ),
])
export type BasemapDef = Static<typeof BasemapDef>

export const CityDef = Type.Object({
  id: DeviceId,
  name: LocalizedText,
  province: LocalizedText,
  districtCode: Type.String(),
  timezone: Type.String(),
  centre: LonLat,
  /** [[west, south], [east, north]] */
  bounds: Type.Tuple([LonLat, LonLat]),
  defaultZoom: Type.Number({ minimum: 0, maximum: 22 }),
  sources: Type.Array(Type.String()),
  /** Absent: no basemap, the areas on a plain background (the map needs nothing but the IOC). */
  basemap: Type.Optional(BasemapDef),
  /**
   * For the public page: what each alarm level means and what to do, in the city's own words
   * (editable: it is data). Keys "1", "2", "3" for BĐ1–BĐ3.
   */
  floodAdvice: Type.Optional(
    Type.Object({
      '1': Type.Object({ meaning: LocalizedText, action: LocalizedText }),
      '2': Type.Object({ meaning: LocalizedText, action: LocalizedText }),
      '3': Type.Object({ meaning: LocalizedText, action: LocalizedText }),
    }),
  ),
})
export type CityDef = Static<typeof CityDef>

/**
 * A socio-economic indicator every ward and commune reports (docs/indicators.md): what it is,
 * its unit and valid range, how often, which way is better, and how the city figure is made.
 */
export const IndicatorDef = Type.Object({
  key: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
  name: LocalizedText,
  description: LocalizedText,
  /** `percent` 0–100, `count` of things (households, people), `vnd` money in đồng. */
  unit: Type.Union([Type.Literal('percent'), Type.Literal('count'), Type.Literal('vnd')]),
  min: Type.Number(),
  max: Type.Number(),
  /** Whole numbers only (counts). */
  integer: Type.Boolean(),
  /** `month` periods are `YYYY-MM`, `quarter` ones `YYYY-Qn`. */
  period: Type.Union([Type.Literal('month'), Type.Literal('quarter')]),
  better: Type.Union([Type.Literal('higher'), Type.Literal('lower'), Type.Literal('neutral')]),
  /**
   * The city's figure from the areas': `sum` (counts), `weighted_mean` by the indicator named in
   * `weightKey` of the same period (rates: e.g. by households), or `mean`.
   */
  aggregate: Type.Union([Type.Literal('sum'), Type.Literal('weighted_mean'), Type.Literal('mean')]),
  weightKey: Type.Optional(Type.String()),
  /** Where the definition or a figure quoted in it comes from. */
  source: Type.Optional(Type.String()),
})
export type IndicatorDef = Static<typeof IndicatorDef>

/** Values shipped with a pack: `demo: true` marks them as plausible demo data, not the city's figures. */
export const IndicatorSeed = Type.Object({
  demo: Type.Boolean(),
  note: Type.Optional(LocalizedText),
  values: Type.Array(Type.Object({ areaId: Type.String(), key: Type.String(), period: Type.String(), value: Type.Number() })),
})
export type IndicatorSeed = Static<typeof IndicatorSeed>

export const CityPack = Type.Object({
  city: CityDef,
  areas: AreaCollection,
  stations: Type.Array(StationDef, { minItems: 1 }),
  cameras: Type.Array(CameraDef),
  /** Optional file `indicators.json`; none when a pack has no indicators. */
  indicators: Type.Array(IndicatorDef),
})
export type CityPack = Static<typeof CityPack>
