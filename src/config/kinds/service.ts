import { z } from 'zod';
import { baseMetadata, CrsCode, envelope, Name, type Origin } from './common.js';

/** Service: a group of layers published together (an OGC API collection prefix), bound to a datasource. */
export const ServiceSchema = z.strictObject({
  ...envelope('Service'),
  metadata: z.strictObject(baseMetadata),
  spec: z.strictObject({
    title: z.string().min(1),
    description: z.string().optional(),
    dataSource: Name.meta({ description: "Name of the DataSource the service's layers read from." }),
    enabled: z.boolean().optional().meta({ description: 'Disabled services are not published (default: true).' }),
    keywords: z.array(z.string()).optional(),
    attribution: z.string().optional(),
    contact: z.strictObject({ name: z.string().optional(), email: z.string().optional(), url: z.string().optional() }).optional(),
    license: z.strictObject({ name: z.string(), url: z.string().optional() }).optional(),
    ogc: z
      .strictObject({
        itemLimit: z.number().int().min(1).max(100_000).optional().meta({ description: "Default maximum items per page for the service's layers." }),
        defaultCrs: CrsCode.optional(),
      })
      .optional(),
  }),
});
export type WrittenService = z.infer<typeof ServiceSchema>;

export interface Service {
  kind: 'Service';
  name: string;
  title: string;
  description?: string;
  dataSource: string;
  enabled: boolean;
  keywords: string[];
  itemLimit?: number;
  defaultCrs?: string;
  origin: Origin;
}

export function normalizeService(doc: WrittenService, origin: Origin): Service {
  const s = doc.spec;
  const out: Service = {
    kind: 'Service',
    name: doc.metadata.name,
    title: s.title,
    dataSource: s.dataSource,
    enabled: s.enabled ?? true,
    keywords: s.keywords ?? [],
    origin,
  };
  if (s.description !== undefined) out.description = s.description;
  if (s.ogc?.itemLimit !== undefined) out.itemLimit = s.ogc.itemLimit;
  if (s.ogc?.defaultCrs !== undefined) out.defaultCrs = s.ogc.defaultCrs;
  return out;
}
