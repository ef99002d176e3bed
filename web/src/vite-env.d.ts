/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** XYZ raster tile template for an optional basemap; unset: no basemap, no third-party requests. */
  readonly VITE_IOC_TILE_URL?: string
  /** Attribution the tile provider requires, shown on the map when tiles are used. */
  readonly VITE_IOC_TILE_ATTRIBUTION?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
