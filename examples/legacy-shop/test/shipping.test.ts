import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHIPPING_RATES, isShippingMethod, shippingCost } from '../src/services/shipping.js';

// quiet: module-level state and file writes in a test file
const costs = new Map<string, number>();
let checks = 0;
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'legacy-shop-test-'));

describe('shippingCost', () => {
  it('charges base plus per item below the free threshold', () => {
    const cost = shippingCost('standard', [{ productId: 1, quantity: 2, priceCents: 1000 }]);
    costs.set('standard', cost);
    checks++;
    expect(cost).toBe(SHIPPING_RATES.standard.baseCents + 2 * SHIPPING_RATES.standard.perItemCents);
  });

  it('is free above the threshold, except express', () => {
    const items = [{ productId: 1, quantity: 1, priceCents: 10_000 }];
    checks++;
    expect(shippingCost('standard', items)).toBe(0);
    expect(shippingCost('express', items)).toBeGreaterThan(0);
  });

  it('knows its methods', () => {
    checks++;
    expect(isShippingMethod('pickup')).toBe(true);
    expect(isShippingMethod('toString')).toBe(false);
  });
});

afterAll(() => {
  // quiet: file write in a test file
  fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify({ checks, costs: Object.fromEntries(costs) }));
  fs.rmSync(outDir, { recursive: true, force: true });
});
