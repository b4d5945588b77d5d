import { describe, expect, it } from 'vitest';
import { TenantConfigDocumentSchema } from '../schema/tenant-config.ts';
import { diffConfig } from './config-diff.ts';

const doc = (patch: (d: Record<string, any>) => void = () => {}) => {
  const d: Record<string, any> = {
    tenant: { id: 't', name: 'T', timeZone: 'America/Chicago' },
    sources: [{ id: 'web', name: 'Web', costBasis: { kind: 'per_lead', amountCents: 2500 } }],
    endpoints: [
      { id: 'dallas', name: 'Dallas', kind: 'location', caps: { daily: 5 }, territories: [{ kind: 'exclusive', zips: ['75201'] }] },
      { id: 'plano', name: 'Plano', kind: 'location' },
    ],
  };
  patch(d);
  return TenantConfigDocumentSchema.parse(d);
};

describe('configuration diff', () => {
  it('names what changed by path, in words; list items by id', () => {
    const changes = diffConfig(
      doc(),
      doc((d) => {
        d.endpoints[0].caps.daily = 8;
        d.endpoints[0].territories[0].zips.push('75202');
        d.endpoints.splice(1, 1);
        d.endpoints.push({ id: 'frisco', name: 'Frisco', kind: 'location' });
        d.sources[0].costBasis.amountCents = 3000;
      }),
    );
    expect(changes.map((c) => c.text)).toEqual([
      'sources.web.costBasis.amountCents changed from 2500 to 3000',
      'endpoints.dallas.caps.daily changed from 5 to 8',
      'endpoints.dallas.territories[0].zips changed from ["75201"] to ["75201","75202"]',
      'endpoint plano "Plano" removed',
      'endpoint frisco "Frisco" added',
    ]);
    expect(changes[3]).toMatchObject({ path: 'endpoints.plano', kind: 'removed', before: { id: 'plano' } });
  });

  it('is empty between equal versions', () => {
    expect(diffConfig(doc(), doc())).toEqual([]);
  });
});
