import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A memo of lookups in a database file that ships with the deployment (MaxMind's GeoIP `.mmdb`, opened
// by each instance from its own copy) holds deploy-time data: every instance answers the same (round 24
// of test/real-world: an analytics service's location cache), written here in other shapes. A memo of
// rows loaded from the service's own database stays reported.

afterAll(removeAnalysedProjects);

const RULES = ['no-process-local-cache', 'no-in-memory-session'];

const geo = (lookup: string): Record<string, string> => ({
  'geo.ts': `import maxmind, { type CityResponse, type Reader } from 'maxmind';
import { db } from './db';

let reader: Reader<CityResponse> | undefined;
const countries = new Map<string, string | undefined>();

export async function countryOf(ip: string): Promise<string | undefined> {
  if (countries.has(ip)) return countries.get(ip);
  if (!reader) {
    reader = await maxmind.open<CityResponse>(process.env.GEOIP_PATH ?? 'data/GeoLite2-City.mmdb');
  }
  const country = ${lookup};
  countries.set(ip, country);
  return country;
}
`,
  'db.ts': `export const db = { visitor: { findCountry: async (ip: string) => (ip ? 'NL' : undefined) } };
`,
  'app.ts': `import express from 'express';
import { countryOf } from './geo';

const app = express();
app.post('/collect', express.json(), async (req, res) => {
  res.json({ country: await countryOf(req.ip ?? '') });
});
app.listen(3000);
`,
});

describe('a memo of GeoIP lookups in the bundled database file', () => {
  it('TypeScript: the reader opened with maxmind.open, memoised per address: not reported, typed or untyped', () => {
    const files = geo('reader.get(ip)?.country?.iso_code');
    expect(untyped(files, 'geo.ts', RULES)).toEqual([]);
    expect(typed(files, 'geo.ts', RULES)).toEqual([]);
  });

  it("CommonJS: geoip-lite's lookup memoised per address: not reported", () => {
    const files = {
      'geo.js': `const geoip = require('geoip-lite');

const cities = {};

exports.cityOf = async (ip) => {
  if (!(ip in cities)) cities[ip] = geoip.lookup(ip)?.city;
  return cities[ip];
};
`,
      'app.js': `const express = require('express');
const { cityOf } = require('./geo');

const app = express();
app.get('/where', async (req, res) => res.json({ city: await cityOf(req.ip) }));
app.listen(3000);
`,
    };
    expect(untyped(files, 'geo.js', RULES)).toEqual([]);
    expect(typed(files, 'geo.js', RULES)).toEqual([]);
  });

  it("look-alike: the same memo filled from the service's own database stays reported", () => {
    const files = geo('await db.visitor.findCountry(ip)');
    const expected = [
      '5:7 no-process-local-cache: `countries` caches shared data in this process; it is written by POST /collect (app.ts:5). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'geo.ts', RULES)).toEqual(expected);
    expect(typed(files, 'geo.ts', RULES)).toEqual(expected);
  });
});
