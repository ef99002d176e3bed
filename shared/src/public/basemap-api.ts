import Type, { type Static } from 'typebox'

/** Zoom levels a basemap has tiles for; the map overzooms past `maxzoom`. */
const Zoom = Type.Integer({ minimum: 0, maximum: 24 })

/**
 * What both maps draw under the areas and stations (`GET /api/public/basemap`), resolved by the server
 * from IOC_BASEMAP_URL or the city pack. Tile and style URLs are absolute (online) or paths on the IOC
 * itself (`/tiles/{z}/{x}/{y}`), which the browser resolves against the page.
 *
 * - `none`: no basemap; the areas on a plain background.
 * - `raster`: XYZ image tiles.
 * - `vector`: XYZ Mapbox Vector Tiles. With `styleUrl`, a MapLibre style to draw them with, whose
 *   vector sources already point at `tiles`; without, the IOC's own style for the OpenMapTiles schema.
 * - `style`: an online MapLibre style that names its own sources.
 */
export const BasemapView = Type.Union([
  Type.Object({ kind: Type.Literal('none') }),
  Type.Object({ kind: Type.Literal('raster'), tiles: Type.Array(Type.String(), { minItems: 1 }), tileSize: Type.Integer({ minimum: 64 }), minzoom: Zoom, maxzoom: Zoom, attribution: Type.String() }),
  Type.Object({
    kind: Type.Literal('vector'),
    tiles: Type.Array(Type.String(), { minItems: 1 }),
    styleUrl: Type.Optional(Type.String()),
    minzoom: Zoom,
    maxzoom: Zoom,
    attribution: Type.String(),
  }),
  Type.Object({ kind: Type.Literal('style'), styleUrl: Type.String(), attribution: Type.String() }),
])
export type BasemapView = Static<typeof BasemapView>

/** Where the IOC serves the tiles of the city pack's archive. */
export const BASEMAP_TILES_PATH = '/tiles/{z}/{x}/{y}'
/** Where the IOC serves the city pack's basemap style, its vector source pointed at the archive. */
export const BASEMAP_STYLE_PATH = '/tiles/style.json'
