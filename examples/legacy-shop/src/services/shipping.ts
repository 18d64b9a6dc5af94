import type { LineItem } from '../db/schema.js';

// quiet: constant lookup table, never written
export const SHIPPING_RATES = {
  standard: { baseCents: 490, perItemCents: 50, freeAboveCents: 5000 },
  express: { baseCents: 1290, perItemCents: 100, freeAboveCents: Infinity },
  pickup: { baseCents: 0, perItemCents: 0, freeAboveCents: 0 },
} as const;

export type ShippingMethod = keyof typeof SHIPPING_RATES;

export function isShippingMethod(value: unknown): value is ShippingMethod {
  return typeof value === 'string' && Object.hasOwn(SHIPPING_RATES, value);
}

export function shippingCost(method: ShippingMethod, items: LineItem[]): number {
  const rate = SHIPPING_RATES[method];
  const subtotal = items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0);
  if (subtotal >= rate.freeAboveCents) return 0;
  const count = items.reduce((sum, item) => sum + item.quantity, 0);
  return rate.baseCents + rate.perItemCents * count;
}
