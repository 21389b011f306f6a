import type { EventNormalizerOptions, RegistryLookup } from '@homeiq/event-normalizer';
import type { IngestionConfig } from '../config/load-config.js';

/**
 * The normalizer's options from the configuration, for the service and for the history import alike, so that an
 * imported point is shaped exactly as a live one.
 */
export function normalizerOptions(config: IngestionConfig, registry: RegistryLookup): EventNormalizerOptions {
  return {
    schema: config.points.schema,
    precision: config.points.precision,
    includeAttributes: config.points.writeAttributes,
    // INFLUXDB_HA_CONFIG: HA's `influxdb:` options and its include/exclude filter.
    ...config.points.haIntegration,
    // discovery.lookup is the one registry join; its EntityContext extends the normalizer's EntityEnrichment.
    registry,
  };
}
